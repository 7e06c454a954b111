// Calls a running xner service with Hugging Face's own client from npm, pointed at the service as its endpoint,
// and prints what the client returns, as JSON on one line:
//   node token-classification.mjs http://127.0.0.1:8080/ "Jeff Dean ist in Zürich"
// Prints {"function": ..., "client": ..., "error": ...}: the entities through the tokenClassification function
// (aggregation "first"), the same through an InferenceClient bound to the endpoint (the service's default
// aggregation), and the message the client raises for a request the service refuses.
import { InferenceClient, tokenClassification } from "@huggingface/inference";

const [url, text] = process.argv.slice(2);
if (!url || text === undefined) {
  console.error("usage: node token-classification.mjs URL TEXT");
  process.exit(2);
}

const viaFunction = await tokenClassification({
  endpointUrl: url,
  inputs: text,
  parameters: { aggregation_strategy: "first" },
});
const viaClient = await new InferenceClient().endpoint(url).tokenClassification({ inputs: text });

let error = null;
try {
  await tokenClassification({ endpointUrl: url, inputs: text, parameters: { aggregation_strategy: "mean" } });
} catch (e) {
  error = `${e.httpResponse?.status} ${e.message}`;
}

console.log(JSON.stringify({ function: viaFunction, client: viaClient, error }));
