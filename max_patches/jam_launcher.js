// jam_launcher.js: the Jam Bridge device starts, watches and stops the jamcore daemon itself (Node for Max).
//
// In the device: [node.script jam_launcher.js @autostart 1]. Its inlet gets `start <port>` when the device
// loads and `stop` when it is removed or the set closes; its first outlet says what is happening, for the
// device's status line:
//   status starting | status running <port> | status restarting <reason...> | status error <reason...>
//
// What it does for one port:
// - Every second it asks 127.0.0.1:<port> `/jam/ping` from a socket of its own; a `/jam/pong` means a
//   bridge is there (started by another device, by hand in a terminal, or by us): nothing to do.
// - Nothing answers and the port is free: it starts `jamcore serve --port <port>` with the command that
//   `jamcore install-device` recorded (launcher.json in jamcore's per-user folder).
// - The daemon it started dies: it is started again after 1, 2, 4 ... 30 s (the back-off grows while it
//   keeps dying young); the status line shows why it stopped (its last error line).
// - Nothing answers but the port is taken: another program holds it; it says so and starts nothing.
// - `stop` from the last device using a daemon that a device started: the daemon is stopped. A daemon
//   started by hand is never stopped by a device.
//
// Several devices share one daemon. Each device runs its own Node process, so they coordinate through
// files in <jamcore folder>/run/<port>/: clients/<pid> (one per live device; a dead pid does not count),
// daemon.json (the daemon the devices started: pid, start time, back-off), daemon.log (its output), and
// a lock file held while one of them decides to start or stop the daemon.
"use strict";

const childProcess = require("child_process");
const dgram = require("dgram");
const fs = require("fs");
const os = require("os");
const path = require("path");

const maxAPI = require("max-api");

const TICK_MS = Number(process.env.JAMCORE_LAUNCHER_TICK_MS || 1000);
const PING_TIMEOUT_MS = 500;
const STARTUP_GRACE_MS = 60000; // a daemon this young may still be loading its checkpoints
const STABLE_MS = 30000; // a daemon that ran this long before dying was not crash-looping
const BACKOFF_BASE_MS = Number(process.env.JAMCORE_LAUNCHER_BACKOFF_MS || 1000);
const BACKOFF_MAX_MS = 30000;
const GIVE_UP_AFTER = 5; // deaths in a row before the status line says error (it keeps trying)
const LOCK_STALE_MS = 10000;

// ------------------------------------------------------------------ where things are

function configDir() {
    if (process.env.JAMCORE_CONFIG_DIR) return process.env.JAMCORE_CONFIG_DIR;
    const home = os.homedir();
    if (process.platform === "win32") {
        return path.join(process.env.APPDATA || path.join(home, "AppData", "Roaming"), "jamcore");
    }
    if (process.platform === "darwin") return path.join(home, "Library", "Application Support", "jamcore");
    return path.join(process.env.XDG_CONFIG_HOME || path.join(home, ".config"), "jamcore");
}

function readJSON(file) {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        return null;
    }
}

function writeJSON(file, value) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
    fs.renameSync(tmp, file);
}

// The command that runs jamcore (e.g. [".../bin/python", "-m", "jamcore.cli"]), as the installer recorded it.
function jamcoreCommand() {
    const rec = readJSON(path.join(configDir(), "launcher.json"));
    if (!rec || !Array.isArray(rec.command) || rec.command.length === 0) return null;
    return { command: rec.command, serveArgs: Array.isArray(rec.serve_args) ? rec.serve_args : [] };
}

// ------------------------------------------------------------------ processes and locks

function isAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return err.code === "EPERM"; // exists, owned by someone else
    }
}

// When this machine booted (ms): a record from before a reboot names pids that mean nothing now.
function bootTime() {
    return Date.now() - os.uptime() * 1000;
}

function sameBoot(rec) {
    return rec && typeof rec.boot === "number" && Math.abs(rec.boot - bootTime()) < 120000;
}

function withLock(dir, fn) {
    const lock = path.join(dir, "lock");
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const fd = fs.openSync(lock, "wx");
            fs.writeSync(fd, String(process.pid));
            fs.closeSync(fd);
        } catch (err) {
            if (err.code !== "EEXIST") throw err;
            const holder = parseInt(readText(lock), 10);
            let age = 0;
            try {
                age = Date.now() - fs.statSync(lock).mtimeMs;
            } catch (e) {
                continue; // just released: try again
            }
            if (isAlive(holder) && holder !== process.pid && age < LOCK_STALE_MS) return undefined; // busy: next tick
            try {
                fs.unlinkSync(lock); // left by a process that is gone
            } catch (e) {
                /* another one removed it first */
            }
            continue;
        }
        try {
            return fn();
        } finally {
            try {
                fs.unlinkSync(lock);
            } catch (e) {
                /* already gone */
            }
        }
    }
    return undefined;
}

function readText(file) {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        return "";
    }
}

// The daemon's last words: its last line if that is an error (`jamcore: error: ...`, or a traceback's
// `SomeError: ...`), else how it ended.
function deathReason(dir, rec) {
    const lines = readText(path.join(dir, "daemon.log")).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const last = lines.length ? lines[lines.length - 1] : "";
    if (/^jamcore: error:|^[\w.]*(Error|Exception):/.test(last)) return last.replace(/^jamcore: error:\s*/, "");
    if (rec && rec.exit) return rec.exit;
    return "the bridge stopped";
}

// ------------------------------------------------------------------ OSC over UDP

function oscString(s) {
    const raw = Buffer.from(s + "\0", "utf8");
    return Buffer.concat([raw, Buffer.alloc((4 - (raw.length % 4)) % 4)]);
}

function oscPing(seq) {
    const arg = Buffer.alloc(4);
    arg.writeInt32BE(seq);
    return Buffer.concat([oscString("/jam/ping"), oscString(",i"), arg]);
}

function isPong(msg, seq) {
    const expected = Buffer.concat([oscString("/jam/pong"), oscString(",i")]);
    return msg.length === expected.length + 4 && msg.subarray(0, expected.length).equals(expected) &&
        msg.readInt32BE(expected.length) === seq;
}

// Does a jamcore bridge answer on 127.0.0.1:port?
function ping(port) {
    return new Promise((resolve) => {
        const sock = dgram.createSocket("udp4");
        const seq = Math.floor(Math.random() * 0x7fffffff);
        let done = false;
        const finish = (answer) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.close();
            resolve(answer);
        };
        const timer = setTimeout(() => finish(false), PING_TIMEOUT_MS);
        sock.on("message", (msg) => {
            if (isPong(msg, seq)) finish(true);
        });
        sock.on("error", () => finish(false));
        sock.bind(0, "127.0.0.1", () => sock.send(oscPing(seq), port, "127.0.0.1", (err) => err && finish(false)));
    });
}

// Is some program listening on UDP 127.0.0.1:port?
function portTaken(port) {
    return new Promise((resolve) => {
        const sock = dgram.createSocket({ type: "udp4", reuseAddr: false });
        sock.on("error", (err) => {
            sock.close();
            resolve(err.code === "EADDRINUSE" || err.code === "EACCES");
        });
        sock.bind(port, "127.0.0.1", () => {
            sock.close();
            resolve(false);
        });
    });
}

// ------------------------------------------------------------------ the launcher

class Launcher {
    constructor(port) {
        this.port = port;
        this.dir = path.join(configDir(), "run", String(port));
        this.clientFile = path.join(this.dir, "clients", String(process.pid));
        this.daemonFile = path.join(this.dir, "daemon.json");
        this.child = null; // the daemon, when this process started it
        this.timer = null;
        this.stopped = false;
        this.lastStatus = "";
    }

    status(...words) {
        const line = words.join(" ");
        if (line === this.lastStatus) return;
        this.lastStatus = line;
        maxAPI.outlet("status", ...words);
    }

    start() {
        fs.mkdirSync(path.dirname(this.clientFile), { recursive: true });
        fs.writeFileSync(this.clientFile, String(Date.now()));
        this.loop();
    }

    async loop() {
        if (this.stopped) return;
        try {
            await this.tick();
        } catch (err) {
            this.status("error", String(err.message || err));
        }
        if (!this.stopped) this.timer = setTimeout(() => this.loop(), TICK_MS);
    }

    daemonRecord() {
        const rec = readJSON(this.daemonFile);
        return sameBoot(rec) ? rec : null;
    }

    async tick() {
        if (await ping(this.port)) {
            this.status("running", this.port);
            return;
        }
        if (this.stopped) return;
        const rec = this.daemonRecord();
        if (rec && rec.pid && isAlive(rec.pid) && Date.now() - rec.started < STARTUP_GRACE_MS) {
            this.startingStatus(rec);
            return;
        }
        if (rec && rec.pid && isAlive(rec.pid)) {
            // Past its start-up and not answering: stuck. Only its parent may end it (a pid from a record
            // could be reused by an unrelated program); the others say so.
            if (this.child && this.child.pid === rec.pid) this.child.kill();
            else this.status("error", `the bridge (process ${rec.pid}) is not answering on port ${this.port}`);
            return;
        }
        if (await portTaken(this.port)) {
            this.status("error", `port ${this.port} is taken by another program (not a jamcore bridge);`,
                "close it or choose another port");
            return;
        }
        const found = jamcoreCommand();
        if (!found) {
            this.status("error", "jamcore is not installed for this device: run `jamcore install-device`");
            return;
        }
        withLock(this.dir, () => this.startDaemon(found));
    }

    startingStatus(rec) {
        if (rec.reason) this.status("restarting", rec.reason);
        else this.status("starting");
    }

    // Under the lock: start the daemon unless another device just did, or the back-off says wait.
    startDaemon(found) {
        let rec = this.daemonRecord();
        const now = Date.now();
        if (rec && rec.pid && isAlive(rec.pid)) return;
        if (rec && rec.pid) {
            // It was started by a device and is gone: how long it lived sets the wait before the next try.
            const young = now - rec.started < STABLE_MS;
            const deaths = young ? (rec.deaths || 0) + 1 : 1;
            const wait = Math.min(BACKOFF_BASE_MS * 2 ** (deaths - 1), BACKOFF_MAX_MS);
            rec = { ...rec, pid: null, deaths, reason: deathReason(this.dir, rec), retry_at: now + wait };
            writeJSON(this.daemonFile, rec);
        }
        if (rec && rec.retry_at && now < rec.retry_at) {
            if (rec.deaths >= GIVE_UP_AFTER) this.status("error", `jamcore keeps stopping: ${rec.reason}`);
            else this.status("restarting", rec.reason);
            return;
        }
        const log = fs.openSync(path.join(this.dir, "daemon.log"), "w");
        let child;
        try {
            const [exe, ...pre] = found.command;
            child = childProcess.spawn(exe, [...pre, "serve", "--port", String(this.port), ...found.serveArgs], {
                detached: true, // outlives this device while other devices still use it
                stdio: ["ignore", log, log],
                windowsHide: true,
                env: { ...process.env, PYTHONUNBUFFERED: "1" },
            });
        } finally {
            fs.closeSync(log);
        }
        if (!child.pid) {
            this.status("error", `cannot run ${found.command[0]}: reinstall with \`jamcore install-device\``);
            child.on("error", () => {});
            return;
        }
        this.child = child;
        child.unref();
        child.on("error", () => {});
        child.on("exit", (code, signal) => {
            if (this.child === child) this.child = null;
            const cur = readJSON(this.daemonFile);
            if (cur && cur.pid === child.pid) {
                cur.exit = signal ? `the bridge was stopped (${signal})` : `the bridge exited with code ${code}`;
                writeJSON(this.daemonFile, cur);
            }
        });
        const next = {
            pid: child.pid, port: this.port, started: now, boot: bootTime(), started_by: process.pid,
            deaths: rec ? rec.deaths || 0 : 0, reason: rec ? rec.reason || null : null,
        };
        writeJSON(this.daemonFile, next);
        this.startingStatus(next);
    }

    // This device is going away: the daemon a device started stops with the last device using it.
    async stop() {
        if (this.stopped) return;
        this.stopped = true;
        clearTimeout(this.timer);
        unlinkQuiet(this.clientFile);
        const answering = await ping(this.port);
        withLock(this.dir, () => {
            if (liveClients(path.dirname(this.clientFile)) > 0) return;
            const rec = this.daemonRecord();
            const ours = this.child && rec && this.child.pid === rec.pid;
            if (rec && rec.pid && isAlive(rec.pid) && (ours || answering)) {
                try {
                    process.kill(rec.pid, "SIGTERM");
                } catch (err) {
                    /* already gone */
                }
            }
            unlinkQuiet(this.daemonFile);
        });
        this.status("stopped");
    }
}

function unlinkQuiet(file) {
    try {
        fs.unlinkSync(file);
    } catch (err) {
        /* not there */
    }
}

// Devices (processes) registered in `dir` that are still alive; files of dead ones are removed.
function liveClients(dir) {
    let names = [];
    try {
        names = fs.readdirSync(dir);
    } catch (err) {
        return 0;
    }
    let n = 0;
    for (const name of names) {
        const pid = parseInt(name, 10);
        if (isAlive(pid)) n++;
        else unlinkQuiet(path.join(dir, name));
    }
    return n;
}

// ------------------------------------------------------------------ Max messages

let launcher = null;

async function stopLauncher() {
    const l = launcher;
    launcher = null;
    if (l) await l.stop();
}

maxAPI.addHandler("start", async (port) => {
    port = Number(port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        maxAPI.outlet("status", "error", `bad port ${port}`);
        return;
    }
    if (launcher && launcher.port === port) return;
    await stopLauncher();
    launcher = new Launcher(port);
    launcher.start();
});

maxAPI.addHandler("stop", stopLauncher);

for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => stopLauncher().then(() => process.exit(0)));
}
process.on("exit", () => {
    if (launcher) unlinkQuiet(launcher.clientFile); // killed outright: at least stop counting as a user
});
