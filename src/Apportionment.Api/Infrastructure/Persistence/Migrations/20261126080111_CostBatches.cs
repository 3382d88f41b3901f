using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CostBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "batch_id",
                table: "cost_postings",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_cost_postings_batch_id",
                table: "cost_postings",
                column: "batch_id",
                filter: "batch_id is not null");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cost_postings_batch_id",
                table: "cost_postings");

            migrationBuilder.DropColumn(
                name: "batch_id",
                table: "cost_postings");
        }
    }
}
