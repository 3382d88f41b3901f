// Types: npx openapi-typescript openapi.yaml -o apportionment.d.ts (openapi-typescript 7); calls: openapi-fetch.
import createClient from "openapi-fetch";
import type { components, paths } from "./apportionment";

export type RechargeStatement = components["schemas"]["RechargeStatementDto"];

// The second type argument names the media types this client reads. Reads that also offer text/csv (statements,
// apportionments, savings, the ledger) are typed as their JSON DTO, and errors as RFC 9457 problems. The Accept
// header asks the service for the same: JSON is its default anyway, so this only makes it explicit.
export const api = createClient<paths, "application/json" | "application/problem+json">({
  baseUrl: "https://apportionment.example.gov.uk",
  headers: { Accept: "application/json" },
});

export async function rechargeStatement(apiKey: string, council: string, period: string): Promise<RechargeStatement> {
  const { data, error, response } = await api.GET("/api/v1/councils/{code}/recharge-statements/{period}", {
    params: { path: { code: council, period } },
    headers: { "X-Api-Key": apiKey },
  });
  if (error) {
    // error.type is stable to switch on, e.g. https://apportionment.example/problems/not-found.
    throw new Error(`${response.status} ${error.type}: ${error.detail ?? error.title}`);
  }
  return data; // RechargeStatementDto: no cast
}
