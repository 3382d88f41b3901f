using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: true),
                    key_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    operation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entity = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entity_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    body = table.Column<string>(type: "jsonb", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "baselines",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    annual_cost = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_baselines", x => new { x.service_code, x.council });
                });

            migrationBuilder.CreateTable(
                name: "closed_months",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closed_months", x => new { x.service_code, x.month });
                });

            migrationBuilder.CreateTable(
                name: "cost_totals",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    paid_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    postings = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cost_totals", x => new { x.service_code, x.month, x.paid_by });
                });

            migrationBuilder.CreateTable(
                name: "councils",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_councils", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    client_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    operation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    response = table.Column<string>(type: "jsonb", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.client_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "shared_services",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    host_council = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    start_month = table.Column<DateOnly>(type: "date", nullable: false),
                    end_month = table.Column<DateOnly>(type: "date", nullable: true),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shared_services", x => x.code);
                    table.ForeignKey(
                        name: "fk_shared_services_councils_host_council",
                        column: x => x.host_council,
                        principalTable: "councils",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "activity_returns",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    driver = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    quantities = table.Column<Dictionary<string, decimal>>(type: "jsonb", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activity_returns", x => x.id);
                    table.ForeignKey(
                        name: "fk_activity_returns_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cost_postings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    category = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    paid_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    reversal_of = table.Column<Guid>(type: "uuid", nullable: true),
                    reversal_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    posted_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cost_postings", x => x.id);
                    table.ForeignKey(
                        name: "fk_cost_postings_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "service_members",
                columns: table => new
                {
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    joined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_members", x => new { x.service_code, x.council });
                    table.ForeignKey(
                        name: "fk_service_members_councils_council",
                        column: x => x.council,
                        principalTable: "councils",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_service_members_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "split_agreements",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    driver = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    councils = table.Column<string[]>(type: "text[]", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    proposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    agreed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_split_agreements", x => x.id);
                    table.ForeignKey(
                        name: "fk_split_agreements_shared_services_service_code",
                        column: x => x.service_code,
                        principalTable: "shared_services",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "agreement_approvals",
                columns: table => new
                {
                    agreement_id = table.Column<Guid>(type: "uuid", nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_approvals", x => new { x.agreement_id, x.council });
                    table.ForeignKey(
                        name: "fk_agreement_approvals_split_agreements_agreement_id",
                        column: x => x.agreement_id,
                        principalTable: "split_agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agreement_share",
                columns: table => new
                {
                    agreement_id = table.Column<Guid>(type: "uuid", nullable: false),
                    council = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    percent = table.Column<decimal>(type: "numeric(7,4)", precision: 7, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_share", x => new { x.agreement_id, x.council });
                    table.ForeignKey(
                        name: "fk_agreement_share_split_agreements_agreement_id",
                        column: x => x.agreement_id,
                        principalTable: "split_agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_activity_returns_service_code_driver_month_id",
                table: "activity_returns",
                columns: new[] { "service_code", "driver", "month", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_secret_hash",
                table: "api_keys",
                column: "secret_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_council_at",
                table: "audit_events",
                columns: new[] { "council", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_entity_at",
                table: "audit_events",
                columns: new[] { "entity", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_cost_postings_reversal_of",
                table: "cost_postings",
                column: "reversal_of",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cost_postings_service_code_month",
                table: "cost_postings",
                columns: new[] { "service_code", "month" });

            migrationBuilder.CreateIndex(
                name: "ix_cost_totals_paid_by_month",
                table: "cost_totals",
                columns: new[] { "paid_by", "month" });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                table: "idempotency_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_service_members_council",
                table: "service_members",
                column: "council");

            migrationBuilder.CreateIndex(
                name: "ix_shared_services_host_council",
                table: "shared_services",
                column: "host_council");

            migrationBuilder.CreateIndex(
                name: "ix_split_agreements_service_code_effective_from",
                table: "split_agreements",
                columns: new[] { "service_code", "effective_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_returns");

            migrationBuilder.DropTable(
                name: "agreement_approvals");

            migrationBuilder.DropTable(
                name: "agreement_share");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "baselines");

            migrationBuilder.DropTable(
                name: "closed_months");

            migrationBuilder.DropTable(
                name: "cost_postings");

            migrationBuilder.DropTable(
                name: "cost_totals");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "service_members");

            migrationBuilder.DropTable(
                name: "split_agreements");

            migrationBuilder.DropTable(
                name: "shared_services");

            migrationBuilder.DropTable(
                name: "councils");
        }
    }
}
