using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// A closed month's issued figures cannot change, whatever writes to the ledger: single postings, reversals and COPY
/// batches alike. The rule lives in the database, beside the totals trigger, so it costs the posting hot path no round
/// trip and cannot be raced: the check runs after the shared advisory lock that CloseMonth takes exclusively, in a
/// statement of its own, so it sees a close that committed while it waited.
///
/// A support service's cost flows on to the services it supports, and through them to further ones (chains and
/// cycles), so a write to a service in a month is refused while that month is closed for it or for any service
/// downstream of it over the support agreements in force that month.
/// </summary>
public partial class ClosedMonthGuard : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Run(SqlScripts.SupportDownstream);
        migrationBuilder.Run(SqlScripts.ClosedMonthGuard);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger cost_postings_closed_months on cost_postings;
            drop function refuse_closed_month_postings();
            drop function ensure_month_open(text, date);
            drop function closed_month_blocking(text, date);
            drop function support_downstream(text[], date, date);
            """);
    }
}
