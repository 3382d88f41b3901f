// Compile-time checks on the integrator example (statement.ts), run by scripts/test.sh: the statement read is typed
// exactly as its DTO (not any, not DTO | string), and without the media type argument it would be DTO | string.
import type { Client, MethodResponse } from "openapi-fetch";
import type { paths } from "./apportionment";
import type { RechargeStatement, api } from "./statement";

type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type StatementRead = "/api/v1/councils/{code}/recharge-statements/{period}";

export const narrowed: Exactly<MethodResponse<typeof api, "get", StatementRead>, RechargeStatement> = true;
export const withoutMediaType: Exactly<MethodResponse<Client<paths>, "get", StatementRead>, RechargeStatement | string> =
  true;
