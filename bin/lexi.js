#!/usr/bin/env node
import { main } from "../dist/cli/lexi.js";

process.exitCode = await main(process.argv);
