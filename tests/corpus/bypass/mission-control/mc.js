#!/usr/bin/env node
// Mission Control stand-in for the bypass corpus: `mc.js done|ready <id>` sets the task's
// status in ~/system/databases/mission-control.db, as the real tool does. Node 20 has no
// SQLite module, so the write goes through python3's sqlite3 (both are in CI).
const { execFileSync } = require('child_process');
const os = require('os');
const path = require('path');

const [action, id] = process.argv.slice(2);
if (!['done', 'ready'].includes(action) || !/^\d+$/.test(id || '')) {
  console.error('usage: mc.js done|ready <id>');
  process.exit(1);
}
const db = path.join(os.homedir(), 'system/databases/mission-control.db');
execFileSync('python3', ['-c',
  'import sqlite3, sys\n' +
  'c = sqlite3.connect(sys.argv[1])\n' +
  'c.execute("UPDATE tasks SET status = ? WHERE id = ?", (sys.argv[2], int(sys.argv[3])))\n' +
  'c.commit()\n',
  db, action, id], { stdio: 'inherit' });
console.log(`task ${id}: ${action}`);
