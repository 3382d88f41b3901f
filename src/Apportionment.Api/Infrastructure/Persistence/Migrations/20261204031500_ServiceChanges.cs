using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// Every replica caches services and their members for the posting path; the database tells the replicas when one
/// changes (LISTEN/NOTIFY), and a posting re-checks what it read from the cache in its own write batch.
/// </summary>
[DbContext(typeof(ApportionmentDb))]
[Migration("20261204031500_ServiceChanges")]
public partial class ServiceChanges : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Run(SqlScripts.ServiceChanges);

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger shared_services_changed on shared_services;
            drop trigger shared_services_truncated on shared_services;
            drop trigger service_members_changed on service_members;
            drop trigger service_members_truncated on service_members;
            drop function notify_service_changed();
            drop function ensure_posting_service_as_read(text, text, date);
            """);
    }
}
