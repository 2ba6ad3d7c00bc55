// The writer thread of the floor reference (floor-pipeline.ts): appends each batch of messages to
// SQLite in one transaction (WAL, synchronous=FULL) and answers when it is committed. Plain
// JavaScript, so that the thread needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO records (topic, body) VALUES (?, ?)');
const append = db.transaction((topics, bodies) => {
  for (let i = 0; i < topics.length; i++) insert.run(topics[i], bodies[i]);
});
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  append(m.topics, m.bodies);
  parentPort.postMessage(m.topics.length);
});
