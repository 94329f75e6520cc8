// Build step of nmodal.encoder.image (generate-resources): gets the npm package nsfwjs at the pinned version,
// checks its SHA-256 against the value committed in the pom, installs it with TensorFlow.js (for the reference
// check in the tests; versions pinned by the committed package-lock.json) and converts one of its models to ONNX
// into the bundle's classes. Nothing is fetched at run time.
//
// usage: node nsfwjs-model.mjs <work dir> <version> <sha256> <model folder name> <onnx out>
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from './tfjs2onnx.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [work, version, sha256, modelDir, outFile] = process.argv.slice(2);
const fail = (line) => {
  console.error(`nmodal.encoder.image: ${line}`);
  process.exit(1);
};
if (Number(process.versions.node.split('.')[0]) < 18) fail(`Node.js 18 or later is needed, found ${process.version}`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
// npm's error lines (code, syscall, message), joined into the one line the build prints
const firstLine = (e) => {
  const lines = String((e.stderr && e.stderr.toString()) || '').split('\n').map((l) => l.trim())
    .filter((l) => /^npm (error|ERR!)/.test(l)).map((l) => l.replace(/^npm (error|ERR!)\s*/, ''));
  return lines.length ? lines.slice(0, 3).join('; ') : String(e.message).split('\n')[0];
};

fs.mkdirSync(work, { recursive: true });
const tarball = path.join(work, `nsfwjs-${version}.tgz`);
if (!fs.existsSync(tarball) || sha(tarball) !== sha256) {
  try {
    // npm's own cache answers when the registry cannot be reached and the package was fetched before
    execFileSync(npm, ['pack', `nsfwjs@${version}`, '--pack-destination', work, '--prefer-offline', '--loglevel=error'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    fail(`cannot get npm package nsfwjs@${version} (is the npm registry reachable?): ${firstLine(e)}`);
  }
}
const actual = sha(tarball);
if (actual !== sha256) fail(`${tarball}: SHA-256 ${actual}, but the pom pins ${sha256}; refusing to use it`);
console.log(`nsfwjs-${version}.tgz SHA-256 ${actual} (as pinned)`);

// install the checked tarball (file: dependency) and TensorFlow.js, exactly as locked
const lock = fs.readFileSync(path.join(here, 'npm', 'package-lock.json'));
const installedLock = path.join(work, 'node_modules', '.nmodal-lock.json');
if (!fs.existsSync(installedLock) || !fs.readFileSync(installedLock).equals(lock)) {
  fs.copyFileSync(path.join(here, 'npm', 'package.json'), path.join(work, 'package.json'));
  fs.writeFileSync(path.join(work, 'package-lock.json'), lock);
  try {
    execFileSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    fail(`cannot install the pinned npm packages (is the npm registry reachable?): ${firstLine(e)}`);
  }
  fs.writeFileSync(installedLock, lock);
}

const dir = path.join(work, 'node_modules', 'nsfwjs', 'dist', 'models', modelDir);
let result;
try {
  result = convert(dir);
} catch (e) {
  fail(`converting ${modelDir}: ${e.message}`);
}
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const tmp = `${outFile}.part`;
fs.writeFileSync(tmp, result.bytes);
fs.renameSync(tmp, outFile);
const digest = crypto.createHash('sha256').update(result.bytes).digest('hex');
console.log(`${path.basename(outFile)}: ${result.nodes} ONNX nodes, ${result.bytes.length} bytes, input `
  + `${result.size.join('x')}, features ${result.features}, classes ${result.classes}, SHA-256 ${digest}`);
