using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Overheads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "approving_councils",
                table: "split_agreements",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<Dictionary<string, decimal>>(
                name: "support_percents",
                table: "split_agreements",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "supports",
                table: "split_agreements",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "approving_councils",
                table: "split_agreements");

            migrationBuilder.DropColumn(
                name: "support_percents",
                table: "split_agreements");

            migrationBuilder.DropColumn(
                name: "supports",
                table: "split_agreements");
        }
    }
}
