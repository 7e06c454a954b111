// transformers.js (Hugging Face's JavaScript library) runs a model folder that `xner export` wrote, offline:
// node transformers-token-classification.mjs MODEL_DIR TEXTS.json  ->  one list of [index, word, entity] per text,
// the token-level answer of its token-classification pipeline (labels O left out, as by default).
import { pipeline, env } from '@huggingface/transformers';
import fs from 'node:fs';
import path from 'node:path';

env.allowRemoteModels = false;
const [model, textsFile] = process.argv.slice(2);
env.localModelPath = path.dirname(path.resolve(model));
const ner = await pipeline('token-classification', path.basename(model), { dtype: 'fp32', subfolder: '', local_files_only: true });
const texts = JSON.parse(fs.readFileSync(textsFile, 'utf8'));
const out = [];
for (const t of texts) out.push((await ner(t)).map(e => [e.index, e.word, e.entity]));
console.log(JSON.stringify(out));
