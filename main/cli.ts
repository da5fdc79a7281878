// Entry point of dist/main/cli.cjs: `porthole serve|demo|start` (being written: see issue 5).
console.log('porthole: not built yet');
