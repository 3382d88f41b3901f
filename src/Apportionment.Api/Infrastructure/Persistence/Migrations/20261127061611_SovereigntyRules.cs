using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SovereigntyRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "service_name",
                table: "closed_months",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // Months closed before names were kept: the name they carry now is the best record of what was issued.
            migrationBuilder.Sql("update closed_months c set service_name = s.name from shared_services s where s.code = c.service_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "service_name",
                table: "closed_months");
        }
    }
}
