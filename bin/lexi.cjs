#!/usr/bin/env node
"use strict";
// CommonJS, as the command it loads: Node then never starts its ES module loader.
const { loadCli } = require("./load-cli.cjs");

const cli = loadCli();
cli.main(process.argv).then((code) => {
  process.exitCode = code;
  cli.saveCache();
});
