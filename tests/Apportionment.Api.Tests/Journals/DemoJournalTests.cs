using Apportionment.Api.Demo;

namespace Apportionment.Api.Tests.Journals;

/// <summary>
/// Mid Devon's and North Devon's journals from the demo data (2024-25 closed, 2025-26 open), read through HTTP and
/// held against their recharge statements and the column lists documented in docs/journals.md.
/// </summary>
public sealed class DemoJournalTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private static readonly string[] Councils = ["MDDC", "NDC"];

    private static readonly string[] Periods =
        ["2024-25", "2024-25-Q1", "2024-25-Q2", "2024-25-Q3", "2024-25-Q4", "2024-04", "2025-03", "2025-26",
            "2025-26-Q3", "2025-11"];

    public static readonly TheoryData<string, string[]> DocumentedColumns = new()
    {
        { "generic",
            ["batch", "voucher", "voucherNumber", "line", "council", "period", "month", "date", "service",
                "serviceName", "costCentre", "account", "fund", "project", "subjective", "debit", "credit", "amount",
                "description", "provisional"] },
        { "oracle-fbdi",
            ["STATUS", "LEDGER_ID", "ACCOUNTING_DATE", "USER_JE_SOURCE_NAME", "USER_JE_CATEGORY_NAME", "CURRENCY_CODE",
                "DATE_CREATED", "ACTUAL_FLAG", .. Enumerable.Range(1, 30).Select(i => $"SEGMENT{i}"), "ENTERED_DR",
                "ENTERED_CR", "ACCOUNTED_DR", "ACCOUNTED_CR",
                .. Enumerable.Range(1, 10).Select(i => $"REFERENCE{i}")] },
        { "d365",
            ["JOURNALBATCHNUMBER", "LINENUMBER", "VOUCHER", "TRANSDATE", "ACCOUNTTYPE", "ACCOUNTDISPLAYVALUE",
                "DEBITAMOUNT", "CREDITAMOUNT", "CURRENCYCODE", "JOURNALNAME", "DESCRIPTION", "TEXT"] },
        { "sage-intacct",
            ["JOURNAL", "DATE", "DESCRIPTION", "REFERENCE_NO", "LINE_NO", "ACCT_NO", "DEPT_ID", "PROJECTID", "MEMO",
                "DEBIT", "CREDIT"] },
        { "sap", ["BATCH_ID", "BUKRS", "BLART", "BLDAT", "BUDAT", "MONAT", "WAERS", "XBLNR", "BKTXT", "BUZEI", "HKONT",
                "KOSTL", "WRBTR", "SGTXT"] },
        { "unit4",
            ["batch_id", "interface", "voucher_type", "trans_type", "client", "account", "dim_1", "dim_2", "dim_3",
                "dim_4", "currency", "dc_flag", "cur_amount", "amount", "description", "trans_date", "voucher_date",
                "voucher_no", "period", "sequence_no"] },
    };

    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Mid Devon's Devon Audit Partnership charge for April 2024: a partner's share, debited to its expense account.
    /// </summary>
    private async Task<decimal> AprilAuditChargeAsync() =>
        (await factory.Admin().StatementAsync("MDDC", "2024-04")).LineFor("DAP").Money("balance");

    [Theory]
    [MemberData(nameof(DocumentedColumns))]
    public async Task Every_format_has_its_documented_header_and_fills_a_row_from_the_council_s_codes(
        string format,
        string[] columns)
    {
        var charge = await AprilAuditChargeAsync();
        Assert.True(charge > 0m);
        var journal = await factory.Admin().CsvJournalAsync("MDDC", "2024-25", format);
        Assert.Equal(columns, journal.Header);
        var amount = charge.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

        // Vouchers run month by month, services in code order: April's BC-MDND recovery, then April's audit charge.
        var (debit, control) = (journal.Rows[2], journal.Rows[3]);
        Action check = format switch
        {
            "generic" => () =>
            {
                Assert.Equal(("DAP", "01620", "4620", "GF", amount, "0.00", amount, "2024-04-30"), (debit[
                    "service"], debit["costCentre"], debit["account"], debit["fund"], debit["debit"], debit["credit"],
                    debit["amount"], debit["date"]));
                Assert.Equal(
                    ("S8150", "0.00", amount, "-" + amount, "false"),
                    (control["account"], control["debit"], control["credit"], control["amount"],
                        control["provisional"]));
                Assert.Equal("DAP Devon Audit Partnership recharge Apr 2024", debit["description"]);
            }
            ,
            "oracle-fbdi" => () =>
            {
                Assert.Equal(("NEW", "MDDC", "2024/04/30", "GBP", "A", "01620", "4620", "GF", amount, ""), (debit[
                    "STATUS"], debit["LEDGER_ID"], debit["ACCOUNTING_DATE"], debit["CURRENCY_CODE"],
                    debit["ACTUAL_FLAG"], debit["SEGMENT1"], debit["SEGMENT2"], debit["SEGMENT3"], debit["ENTERED_DR"],
                    debit["ENTERED_CR"]));
                Assert.Equal(
                    ("S8150", "", amount),
                    (control["SEGMENT2"], control["ENTERED_DR"], control["ENTERED_CR"]));
            }
            ,
            "d365" => () =>
            {
                Assert.Equal(("3", "2024-04-30", "Ledger", "4620-01620-GF--CORPORATE "
                    + "MANAGEMENT", amount, "", "GBP"),
                    (debit["LINENUMBER"], debit["TRANSDATE"], debit["ACCOUNTTYPE"], debit["ACCOUNTDISPLAYVALUE"],
                        debit["DEBITAMOUNT"], debit["CREDITAMOUNT"], debit["CURRENCYCODE"]));
                Assert.Equal(
                    (debit["VOUCHER"], "", amount),
                    (control["VOUCHER"], control["DEBITAMOUNT"], control["CREDITAMOUNT"]));
            }
            ,
            "sage-intacct" => () =>
            {
                Assert.Equal(("GJ", "30/04/2024", "DAP 2024-04", "1", "4620", "01620", amount, ""), (debit[
                    "JOURNAL"], debit["DATE"], debit["DESCRIPTION"], debit["LINE_NO"], debit["ACCT_NO"],
                    debit["DEPT_ID"], debit["DEBIT"], debit["CREDIT"]));
                Assert.Equal(
                    ("2", "S8150", "", amount),
                    (control["LINE_NO"], control["ACCT_NO"], control["DEBIT"], control["CREDIT"]));
            }
            ,
            "sap" => () =>
            {
                Assert.Equal(("MDDC", "SA", "20240430", "01", "GBP", "001", "4620", "01620", amount), (debit[
                    "BUKRS"], debit["BLART"], debit["BUDAT"], debit["MONAT"], debit["WAERS"], debit["BUZEI"],
                    debit["HKONT"], debit["KOSTL"], debit["WRBTR"]));
                Assert.Equal(("002", "S8150", "-" + amount), (control["BUZEI"], control["HKONT"], control["WRBTR"]));
            }
            ,
            "unit4" => () =>
            {
                Assert.Equal((7, "4620", "01620", "GF", "1", amount, "202401", "20240430"), (debit[
                    "batch_id"].Length, debit["account"], debit["dim_1"], debit["dim_2"], debit["dc_flag"],
                    debit["amount"], debit["period"], debit["voucher_date"]));
                Assert.Equal(
                    ("S8150", "-1", "-" + amount),
                    (control["account"], control["dc_flag"], control["amount"]));
            }
            ,
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        check();
    }

    [Fact]
    public async Task Debits_equal_credits_in_every_voucher_and_file_for_every_demo_council_and_period()
    {
        foreach (var council in Councils)
        {
            foreach (var period in Periods)
            {
                var journal = await factory.Admin().JsonJournalAsync(council, period, provisional: true);
                Assert.NotEmpty(journal.Vouchers());
                foreach (var voucher in journal.Vouchers())
                {
                    Assert.Equal(
                        voucher.Lines().Sum(l => l.Money("debit")),
                        voucher.Lines().Sum(l => l.Money("credit")));
                }

                Assert.Equal(journal.Money("totalDebit"), journal.Money("totalCredit"));
                Assert.Equal(
                    journal.Vouchers().SelectMany(v => v.Lines()).Sum(l => l.Money("debit")),
                    journal.Money("totalDebit"));
            }
        }
    }

    [Fact]
    public async Task The_net_of_each_service_s_lines_is_its_statement_balance()
    {
        foreach (var council in Councils)
        {
            foreach (var period in Periods)
            {
                var statement = await factory.Admin().StatementAsync(council, period);
                var nets = (await factory.Admin().JsonJournalAsync(council, period, provisional: true)).ServiceNets();
                var balances = statement.GetProperty("lines").EnumerateArray().Where(l => l.Money("balance") != 0m)
                    .ToDictionary(l => l.Text("service"), l => l.Money("balance"));
                Assert.Equal(balances.OrderBy(b => b.Key), nets.OrderBy(n => n.Key));
            }
        }
    }

    [Fact]
    public async Task The_host_s_recovery_and_the_partner_s_charge_for_building_control_are_opposite_month_by_month()
    {
        var host = await factory.Admin().CsvJournalAsync("MDDC", "2024-25", "generic");
        var partner = await factory.Admin().CsvJournalAsync("NDC", "2024-25", "generic");
        var hostLines = host.Rows.Where(r => r["service"] == "BC-MDND" && r["line"] == "1").ToDictionary(
            r => r["month"],
            r => decimal.Parse(r["amount"], System.Globalization.CultureInfo.InvariantCulture));
        var partnerLines = partner.Rows.Where(r => r["service"] == "BC-MDND" && r["line"] == "1").ToDictionary(
            r => r["month"],
            r => decimal.Parse(r["amount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12, hostLines.Count);
        Assert.Equal(hostLines.Keys.Order(), partnerLines.Keys.Order());
        Assert.All(hostLines, h => Assert.Equal(-h.Value, partnerLines[h.Key]));
        // The host credits its recoveries to its recovery account; the partner charges its own expense account.
        Assert.All(
            host.Rows.Where(r => r["service"] == "BC-MDND" && r["line"] == "1"),
            r => Assert.Equal(("04410", "9430"), (r["costCentre"], r["account"])));
        Assert.All(
            partner.Rows.Where(r => r["service"] == "BC-MDND" && r["line"] == "1"),
            r => Assert.Equal(("02350", "5406"), (r["costCentre"], r["account"])));
    }

    [Fact]
    public async Task An_open_month_is_refused_unless_asked_for_provisionally_which_marks_every_line()
    {
        var refused = await factory.Admin().GetAsync("/api/v1/councils/MDDC/journals/2025-26");
        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/open-months", problem.Text("type"));
        Assert.Contains("BC-MDND 2025-04", problem.Text("detail"));

        foreach (var format in DocumentedColumns.Select(d => (string)d[0]))
        {
            var journal = await factory.Admin().CsvJournalAsync("MDDC", "2025-26", format, "&provisional=true");
            Assert.NotEmpty(journal.Rows);
            var description = format switch
            {
                "oracle-fbdi" => "REFERENCE10",
                "d365" => "TEXT",
                "sage-intacct" => "MEMO",
                "sap" => "SGTXT",
                _ => "description",
            };
            Assert.All(journal.Rows, r => Assert.StartsWith("PROVISIONAL ", r[description]));
        }

        var closed = await factory.Admin().CsvJournalAsync("MDDC", "2024-25", "generic");
        Assert.All(closed.Rows, r => Assert.Equal("false", r["provisional"]));
    }

    [Fact]
    public async Task The_same_export_twice_is_the_same_file_and_a_changed_figure_gives_new_references()
    {
        foreach (var format in DocumentedColumns.Select(d => (string)d[0]))
        {
            var first = await factory.Admin().CsvJournalAsync("NDC", "2024-25", format);
            var again = await factory.Admin().CsvJournalAsync("NDC", "2024-25", format, "&header=true");
            Assert.Equal(first.Bytes, again.Bytes);
        }

        var before = await factory.Admin().JsonJournalAsync("NDC", "2025-26", provisional: true);
        await factory.Admin().PostCostAsync("BC-MDND", "2025-12", 321.09m, paidBy: "NDC");
        var after = await factory.Admin().JsonJournalAsync("NDC", "2025-26", provisional: true);
        Assert.NotEqual(before.Text("reference"), after.Text("reference"));
        string Voucher(System.Text.Json.JsonElement j, string month)
            => j.Vouchers().Single(v => v.Text("month") == month).Text("reference");
        Assert.NotEqual(Voucher(before, "2025-12"), Voucher(after, "2025-12"));
        Assert.Equal(Voucher(before, "2025-04"), Voucher(after, "2025-04"));

        // Reversed, the figures are as they were, and so is the journal.
        var costs = (await factory.Admin()
            .GetJsonAsync("/api/v1/shared-services/BC-MDND/costs?period=2025-12&limit=500")).Items();
        var posted = costs.Single(c => c.Money("amount") == 321.09m);
        await factory.Admin().PostJsonAsync(
            $"/api/v1/costs/{posted.Text("id")}/reversal",
            new { reason = "Posted to test the journal" });
        Assert.Equal(
            before.Text("reference"),
            (await factory.Admin().JsonJournalAsync("NDC", "2025-26", provisional: true)).Text("reference"));
    }

    /// <summary>
    /// docs/journals.md shows Mid Devon's 2025-26 journal as the demo gives it: the block must be the real output.
    /// </summary>
    [Fact]
    public async Task The_documented_example_is_mid_devon_s_real_2025_26_journal()
    {
        var journal = await factory.Admin().CsvJournalAsync("MDDC", "2025-26", "generic", "&provisional=true");
        var text = System.Text.Encoding.UTF8.GetString(journal.Bytes).ReplaceLineEndings("\n");
        var docs = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "docs", "journals.md");
        var markdown = (await File.ReadAllTextAsync(docs)).ReplaceLineEndings("\n");
        const string Start = "<!-- mddc-2025-26-generic -->\n```csv\n";
        var from = markdown.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText("/tmp/mddc-2025-26-generic.csv", text);
        }

        Assert.True(from >= Start.Length, "docs/journals.md has no marked example");
        Assert.Equal(text, markdown[from..markdown.IndexOf("```", from, StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task Oracle_s_file_can_drop_its_header_and_codes_keep_their_leading_zeros()
    {
        using var response = await factory.Admin()
            .GetAsync("/api/v1/councils/NDC/journals/2024-25?format=oracle-fbdi&header=false");
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("NEW,NDC,2024/04/30,", text);
        Assert.Contains(",02350,5406,GF,", text);
        Assert.DoesNotContain("STATUS", text);
    }
}
