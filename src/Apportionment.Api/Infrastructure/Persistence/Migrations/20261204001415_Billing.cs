using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "billing_terms",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    legal_basis = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    vat_treatment = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    vat_overridden = table.Column<bool>(type: "boolean", nullable: false),
                    mode = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    schedule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    basis = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    estimate = table.Column<Dictionary<string, decimal>>(type: "jsonb", nullable: true),
                    payment_terms_days = table.Column<int>(type: "integer", nullable: false),
                    tolerance_percent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_terms", x => x.service_code);
                    table.ForeignKey(
                        name: "fk_billing_terms_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "invoice_counter",
                columns: table => new
                {
                    host_council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    financial_year = table.Column<int>(type: "integer", nullable: false),
                    last_number = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_counter", x => new { x.host_council, x.financial_year });
                });

            migrationBuilder.CreateTable(
                name: "invoices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    host_council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    number_year = table.Column<int>(type: "integer", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    period = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    period_first = table.Column<DateOnly>(type: "date", nullable: false),
                    period_last = table.Column<DateOnly>(type: "date", nullable: false),
                    net = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    vat = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    gross = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    vat_treatment = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    paid = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    cancels = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoices", x => x.id);
                    table.ForeignKey(
                        name: "fk_invoices_councils_council",
                        column: x => x.council,
                        principalTable: "councils",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_invoices_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "year_end_issues",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    financial_year = table.Column<int>(type: "integer", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_year_end_issues", x => new { x.service_code, x.financial_year });
                    table.ForeignKey(
                        name: "fk_year_end_issues_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "invoice_payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    invoice_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    paid_on = table.Column<DateOnly>(type: "date", nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_payments", x => x.id);
                    table.ForeignKey(
                        name: "fk_invoice_payments_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_invoice_payments_invoice_id_reference",
                table: "invoice_payments",
                columns: new[] { "invoice_id", "reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_council_issued_on",
                table: "invoices",
                columns: new[] { "council", "issued_on" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_host_council_number_year_sequence",
                table: "invoices",
                columns: new[] { "host_council", "number_year", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_number",
                table: "invoices",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_service_code_council_period",
                table: "invoices",
                columns: new[] { "service_code", "council", "period" },
                unique: true,
                filter: "kind = 'on-account' and status <> 'cancelled'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "billing_terms");

            migrationBuilder.DropTable(
                name: "invoice_counter");

            migrationBuilder.DropTable(
                name: "invoice_payments");

            migrationBuilder.DropTable(
                name: "year_end_issues");

            migrationBuilder.DropTable(
                name: "invoices");
        }
    }
}
