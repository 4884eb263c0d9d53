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
// The seconds are this process's clock around `await session.run(feeds)`
// only, so the copies across the pipes stay out of the engine's time.
// fs.readSync/fs.writeSync on fds 0 and 1 keep the framing exact; nothing
// else is ever written to stdout. Diagnostics go to stderr.
const fs = require('fs');

const LEVELS = ['disabled', 'basic', 'extended', 'all'];
const STDIN = 0;
const STDOUT = 1;
const RESPONSE_HEADER_BYTES = 20;

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
    const n = count.readBigUInt64LE(0);
    if (n === 0n) return;
    if (n !== BigInt(input_bytes)) {
      // The stream cannot be trusted past a wrong frame: answer and stop.
      error_response(`a request of ${n} bytes, but the input ${args.dims.join('x')} takes ${input_bytes}`);
      return;
    }
    if (read_exact(input) < input_bytes) return;
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

function tensor_dims(metadata) {
  return metadata && metadata.isTensor ? metadata.shape : [];
}

let ort;
async function main() {
  const args = parse_arguments(process.argv.slice(2));
  let version;
  try {
    ort = require('onnxruntime-node');
    version = require('onnxruntime-node/package.json').version;
  } catch (e) {
    refuse(`cannot load onnxruntime-node (run scripts/setup.sh): ${e.message}`);
  }
  const options = {
    executionProviders: ['cpu'],
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: args.level,
  };
  let session;
  try {
    session = await ort.InferenceSession.create(args.model, options);
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
