// Whether a model name, as a log spells it, names a regional endpoint of Amazon Bedrock: a geographic
// cross-Region inference profile (us.anthropic.…, eu., apac., au., jp.) or an in-Region id (anthropic.…), both
// billed above the global profile (global.anthropic.…) for the models a price table marks. A name with no
// endpoint in it (the Claude API's, Vertex AI's claude-…@date) is not regional. Pure.

/** The geographies of Bedrock's geographic inference profiles, as their ids' prefixes spell them. */
export const BEDROCK_GEOGRAPHIES = ['us', 'eu', 'apac', 'au', 'jp'] as const;

const REGIONAL = new RegExp(`^(?:(?:${BEDROCK_GEOGRAPHIES.join('|')})\\.)?anthropic\\.`);

export function isRegionalEndpoint(name: string): boolean {
  const s = name.trim().toLowerCase();
  // A router's or an ARN's path before the id (bedrock/us.anthropic.…, …:inference-profile/us.anthropic.…).
  return REGIONAL.test(s.slice(s.lastIndexOf('/') + 1));
}
