using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Budgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "budget_targets",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reduction_percent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    base_year = table.Column<int>(type: "integer", nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    set_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_budget_targets", x => x.service_code);
                    table.ForeignKey(
                        name: "fk_budget_targets_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "budgets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    service_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    financial_year = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    profile_kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    profile = table.Column<decimal[]>(type: "numeric(14,2)[]", nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    set_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_budgets", x => x.id);
                    table.ForeignKey(
                        name: "fk_budgets_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_budgets_service_code_financial_year_version",
                table: "budgets",
                columns: new[] { "service_code", "financial_year", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "budget_targets");

            migrationBuilder.DropTable(
                name: "budgets");
        }
    }
}
