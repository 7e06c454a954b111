import { pipeline, env } from '@huggingface/transformers';
import fs from 'node:fs';
env.allowRemoteModels = false;
env.localModelPath = '/';
const [model, textsFile, dtype] = process.argv.slice(2);
const ner = await pipeline('token-classification', model, { dtype, subfolder: '', local_files_only: true });
const texts = JSON.parse(fs.readFileSync(textsFile, 'utf8'));
const out = [];
for (const t of texts) {
  const r = await ner(t);
  out.push(r.map(e => [e.index, e.word, e.entity]));
}
console.log(JSON.stringify(out));
