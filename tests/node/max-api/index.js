// A stand-in for Node for Max's `max-api` module, for tests: what Max would send to the node.script's
// inlet arrives as lines on stdin ("start 7400"), and what the script sends out of its outlet leaves
// as lines on stdout ("status running 7400"). Only the calls jamcore's scripts use, with Max's names.
"use strict";

const readline = require("readline");

const handlers = new Map();

function parseAtom(word) {
    return /^-?\d+(\.\d+)?$/.test(word) ? Number(word) : word;
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const [name, ...args] = line.trim().split(/\s+/);
    const handler = handlers.get(name);
    if (handler) handler(...args.map(parseAtom));
    else process.stderr.write(`max-api stand-in: no handler for ${name}\n`);
});

module.exports = {
    POST_LEVELS: { ERROR: "error", INFO: "info", WARN: "warn" },
    addHandler(name, fn) {
        handlers.set(name, fn);
    },
    addHandlers(table) {
        for (const [name, fn] of Object.entries(table)) handlers.set(name, fn);
    },
    outlet(...atoms) {
        process.stdout.write(atoms.join(" ") + "\n");
        return Promise.resolve();
    },
    post(...atoms) {
        process.stderr.write(atoms.join(" ") + "\n");
        return Promise.resolve();
    },
};
