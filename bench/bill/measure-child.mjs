// Runs in a fresh `node` (no tsx): the bundled autoscale handler, one schedule and then ticks, each
// continuing the stored chain. Prints one JSON line: invocation times, log bytes, memory.
const bundle = process.argv[2];
const ticks = Number(process.argv[3]);
const endpoint = process.env.AWS_ENDPOINT_URL;
const rssAtStart = process.memoryUsage().rss;
const { handler } = await import(bundle);

/** The chain's heartbeat, read with DynamoDB's JSON protocol (no SDK here, to keep it out of the figures). */
async function storedChain() {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.GetItem',
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/dynamodb/aws4_request',
    },
    body: JSON.stringify({
      TableName: process.env.CONDUCTOR_TABLE,
      Key: { pk: { S: 'AUTOSCALE' }, sk: { S: 'CHAIN' } },
      ConsistentRead: true,
    }),
  });
  const { Item } = await response.json();
  return Item && { chainId: Item.chainId.S, seq: Number(Item.seq.N) };
}

const durations = [];
let logBytes = 0;
const write = process.stdout.write.bind(process.stdout);
const context = { getRemainingTimeInMillis: () => 30_000, functionName: 'autoscale' };
for (let n = 0; n <= ticks; n += 1) {
  const chain = await storedChain();
  const event = chain
    ? { Records: [{ messageId: String(n), body: JSON.stringify({ chainId: chain.chainId, seq: chain.seq + 1 }) }] }
    : {};
  process.stdout.write = (chunk) => ((logBytes += chunk.length), true);
  const started = performance.now();
  await handler(event, context);
  durations.push(performance.now() - started);
  process.stdout.write = write;
}
const passes = durations.slice(1).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    firstMs: durations[0],
    medianMs: passes[Math.floor(passes.length / 2)],
    logBytesPerPass: logBytes / (ticks + 1),
    rssAtStart,
    rss: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    passes: ticks + 1,
  }),
);
