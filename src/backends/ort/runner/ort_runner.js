'use strict';
// formbench's ort runner: one ONNX Runtime session (onnxruntime-node, CPU
// execution provider) serving the measuring process over stdin/stdout.
//
//   node ort_runner.js MODEL.onnx THREADS LEVEL NxCxHxW
//
// LEVEL is the graph optimisation level: disabled | basic | extended | all.
// After loading, one JSON line on stdout: {"ok":true, "ort_version", ...} or
// {"ok":false,"error":"<ONNX Runtime's own message>"}. Then binary frames,
// little-endian, until a request of 0 bytes or end of input:
//   request:  u64 byte count, then that many bytes of float32 NCHW input
//   response: u32 status (0 = ok), f64 seconds inside session.run,
//             u64 payload length, payload (float32 output, or the UTF-8
//             error message when status != 0)
// A profiling request sets the count's top bit and gives in its low 32 bits
// how many profiled runs to make (the input follows as above). ONNX Runtime
// writes its profile only when profiling ends, so the runner makes a session
// of its own with profiling on, runs it once to warm up and then that many
// times, ends profiling and answers with, as payload, a u32 length, that
// many bytes of JSON {"runs": [[[node, op_type, microseconds], ...], ...],
// "run_us": [...]} (each run's kernels in execution order, from the
// profile's "Node" events within its "model_run"), then the last run's
// float32 output. That session is created from the model's bytes, read at
// start, since formbench removes the file once the first session loaded it.
// The seconds are this process's clock around `await session.run(feeds)`
// only, so the copies across the pipes stay out of the engine's time.
// fs.readSync/fs.writeSync on fds 0 and 1 keep the framing exact; nothing
// else is ever written to stdout. Diagnostics go to stderr.
const fs = require('fs');
const os = require('os');
const path = require('path');

const LEVELS = ['disabled', 'basic', 'extended', 'all'];
const STDIN = 0;
const STDOUT = 1;
const RESPONSE_HEADER_BYTES = 20;
const PROFILE_FLAG = 1n << 63n;
const MAX_PROFILED_RUNS = 1000;

// A pipe left non-blocking by someone else answers EAGAIN: wait a
// millisecond instead of spinning.
const pause = new Int32Array(new SharedArrayBuffer(4));
function wait_a_little() {
  Atomics.wait(pause, 0, 0, 1);
}

function write_all(bytes) {
  for (let done = 0; done < bytes.length;) {
    try {
      done += fs.writeSync(STDOUT, bytes, done, bytes.length - done);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      wait_a_little();
    }
  }
}

// Fills `bytes`; returns how many arrived before end of input.
function read_exact(bytes) {
  let done = 0;
  while (done < bytes.length) {
    let n;
    try {
      n = fs.readSync(STDIN, bytes, done, bytes.length - done, null);
    } catch (e) {
      if (e.code === 'EAGAIN') {
        wait_a_little();
        continue;
      }
      if (e.code === 'EOF') return done;
      throw e;
    }
    if (n === 0) return done;
    done += n;
  }
  return done;
}

function write_line(object) {
  write_all(Buffer.from(JSON.stringify(object) + '\n', 'utf8'));
}

function refuse(message) {
  write_line({ok: false, error: message});
  process.exit(1);
}

function parse_arguments(argv) {
  if (argv.length !== 4) refuse('usage: node ort_runner.js MODEL.onnx THREADS LEVEL NxCxHxW');
  const [model, threads_text, level, dims_text] = argv;
  const threads = Number(threads_text);
  if (!Number.isInteger(threads) || threads < 1) refuse(`threads must be a whole number above 0, got '${threads_text}'`);
  if (!LEVELS.includes(level)) refuse(`graph optimisation level '${level}' is not one of ${LEVELS.join(', ')}`);
  const dims = dims_text.split('x').map(Number);
  if (dims.length !== 4 || !dims.every((d) => Number.isInteger(d) && d > 0))
    refuse(`input dims must be NxCxHxW, got '${dims_text}'`);
  return {model, threads, level, dims};
}

function response(status, seconds, payload) {
  const header = Buffer.alloc(RESPONSE_HEADER_BYTES);
  header.writeUInt32LE(status, 0);
  header.writeDoubleLE(seconds, 4);
  header.writeBigUInt64LE(BigInt(payload.length), 12);
  write_all(header);
  write_all(payload);
}

function error_response(message) {
  response(1, 0, Buffer.from(message, 'utf8'));
}

async function serve(session, args) {
  const input_name = session.inputNames[0];
  const output_name = session.outputNames[0];
  const input_bytes = args.dims.reduce((a, b) => a * b, 1) * 4;
  // The request's data lands directly in the tensor's buffer: no copy in here.
  const input = Buffer.alloc(input_bytes);
  const tensor = new ort.Tensor('float32', new Float32Array(input.buffer, input.byteOffset, input_bytes / 4), args.dims);
  const feeds = {[input_name]: tensor};
  const count = Buffer.alloc(8);
  for (;;) {
    if (read_exact(count) < 8) return;
    const word = count.readBigUInt64LE(0);
    if (word === 0n) return;
    const profiled_runs = word & PROFILE_FLAG ? Number(word & 0xffffffffn) : 0;
    const n = word & PROFILE_FLAG ? BigInt(input_bytes) : word;
    if (word & PROFILE_FLAG && (profiled_runs < 1 || profiled_runs > MAX_PROFILED_RUNS || (word & ~PROFILE_FLAG) > 0xffffffffn)) {
      error_response(`a profiling request for ${word & ~PROFILE_FLAG} runs; 1 to ${MAX_PROFILED_RUNS} are served`);
      return;
    }
    if (n !== BigInt(input_bytes)) {
      // The stream cannot be trusted past a wrong frame: answer and stop.
      error_response(`a request of ${n} bytes, but the input ${args.dims.join('x')} takes ${input_bytes}`);
      return;
    }
    if (read_exact(input) < input_bytes) return;
    if (profiled_runs > 0) {
      try {
        await answer_profile(args, feeds, output_name, profiled_runs);
      } catch (e) {
        error_response(`profiling failed: ${String(e && e.message ? e.message : e)}`);
      }
      continue;
    }
    let results;
    const start = process.hrtime.bigint();
    try {
      results = await session.run(feeds);
    } catch (e) {
      error_response(String(e && e.message ? e.message : e));
      continue;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const data = results[output_name].data;
    if (!(data instanceof Float32Array)) {
      error_response(`output '${output_name}' is not float32`);
      continue;
    }
    response(0, seconds, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
}

// Each run's kernels from ONNX Runtime's profile (a JSON array of trace
// events, times in microseconds): the "Node" events ending in _kernel_time
// that lie within a "model_run" event.
function runs_of(events) {
  const windows = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const runs = windows.map(() => []);
  for (const e of events) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith('_kernel_time')) continue;
    const k = windows.findIndex((w) => e.ts >= w.ts && e.ts <= w.ts + w.dur);
    if (k < 0) continue;
    const op = e.args && typeof e.args.op_name === 'string' ? e.args.op_name : '';
    runs[k].push([e.ts, e.name.slice(0, -'_kernel_time'.length), op, e.dur]);
  }
  return {
    runs: runs.map((r) => r.sort((a, b) => a[0] - b[0]).map(([, name, op, dur]) => [name, op, dur])),
    run_us: windows.map((w) => w.dur),
  };
}

async function answer_profile(args, feeds, output_name, count) {
  const prefix = path.join(os.tmpdir(), `formbench_ort_profile_${process.pid}`);
  const session = await ort.InferenceSession.create(model_bytes, {
    ...session_options(args), enableProfiling: true, profileFilePrefix: prefix});
  let results;
  for (let i = 0; i <= count; ++i) results = await session.run(feeds);
  session.endProfiling();
  await session.release();
  // ONNX Runtime names the file PREFIX_<date>.json.
  const base = path.basename(prefix) + '_';
  const files = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(base) && f.endsWith('.json'));
  if (files.length !== 1) throw new Error(`found ${files.length} profile files named ${base}*.json in ${os.tmpdir()}`);
  const file = path.join(os.tmpdir(), files[0]);
  let events;
  try {
    events = JSON.parse(fs.readFileSync(file, 'utf8'));
  } finally {
    fs.unlinkSync(file);
  }
  const profile = runs_of(events);
  if (profile.runs.length !== count + 1)
    throw new Error(`the profile holds ${profile.runs.length} runs, ${count + 1} were made`);
  profile.runs.shift();  // the warm-up run
  profile.run_us.shift();
  const json = Buffer.from(JSON.stringify(profile), 'utf8');
  const data = results[output_name].data;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  response(0, 0, Buffer.concat([length, json, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

function session_options(args) {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: args.level,
  };
}

function tensor_dims(metadata) {
  return metadata && metadata.isTensor ? metadata.shape : [];
}

let ort;
let model_bytes;
async function main() {
  const args = parse_arguments(process.argv.slice(2));
  let version;
  try {
    ort = require('onnxruntime-node');
    version = require('onnxruntime-node/package.json').version;
  } catch (e) {
    refuse(`cannot load onnxruntime-node (run scripts/setup.sh): ${e.message}`);
  }
  const options = session_options(args);
  let session;
  try {
    session = await ort.InferenceSession.create(args.model, options);
    model_bytes = fs.readFileSync(args.model);
  } catch (e) {
    refuse(String(e && e.message ? e.message : e));
  }
  if (session.inputNames.length !== 1 || session.outputNames.length !== 1)
    refuse(`the model has ${session.inputNames.length} inputs and ${session.outputNames.length} outputs; ` +
           'the runner serves one of each');
  write_line({
    ok: true,
    ort_version: version,
    node_version: process.versions.node,
    input: session.inputNames[0],
    input_dims: tensor_dims(session.inputMetadata[0]),
    output: session.outputNames[0],
    output_dims: tensor_dims(session.outputMetadata[0]),
    options,
  });
  await serve(session, args);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`ort_runner: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
