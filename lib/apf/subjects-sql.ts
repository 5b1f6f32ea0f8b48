// A client's traffic as a FlowSchema can match it, over all of its requests (never its busiest users only): per
// user its requests, busy time and groups; per user its verbs, resources and namespaces; and what the same users
// send under other client names. Values are bound as parameters.
import { histogramSecondsSql } from "../audit/rollup/histogram";
import { HISTOGRAM_COLUMNS } from "../audit/rollup/rollup-sql";

/** Per user: requests and busy time (fine rollup rows). */
export const usersSql = (fineAgg: string) => `
SELECT coalesce(username, '') AS username, sum(n)::BIGINT AS requests, ${histogramSecondsSql(HISTOGRAM_COLUMNS)} AS seconds
FROM ${fineAgg} WHERE client = $1 GROUP BY ALL`;

/** Per user, verb, resource and namespace (fine rollup rows). */
export const shapesSql = (fineAgg: string) => `
SELECT coalesce(username, '') AS username, verb, api_group, resource, subresource, path, namespace, sum(n)::BIGINT AS requests
FROM ${fineAgg} WHERE client = $1 GROUP BY ALL`;

/** The groups each user authenticated with (stored requests: rollups keep no groups). */
export const groupsSql = (relation: string) => `
SELECT coalesce(username, '') AS username, any_value(groups) AS groups FROM ${relation} WHERE client = $1 GROUP BY ALL`;

/** The same users' requests under other client names, busiest first. */
export const collateralSql = (fineAgg: string, limit: number) => `
SELECT coalesce(username, '') AS username, client, sum(n)::BIGINT AS requests FROM ${fineAgg}
WHERE client IS DISTINCT FROM $1 AND username IN (SELECT DISTINCT username FROM ${fineAgg} WHERE client = $1)
GROUP BY ALL ORDER BY requests DESC, username, client LIMIT ${limit}`;
