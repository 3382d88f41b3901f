using System.Text;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Costs;

/// <summary>
/// Month-end ledger extracts: all lines or none, and the totals that reads use always equal the ledger.
/// </summary>
public sealed class CostBatchTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = factory.Admin();
        foreach (var (code, name) in new[] {
            ("MDDC", "Mid Devon"),
            ("NDC", "North Devon"),
            ("SHDC", "South Hams"),
            ("WDBC", "West Devon") })
        {
            await _admin.PostAsJsonAsync("/api/v1/councils", new { code, name });
        }

        // xunit builds the class once per test; the database is per class, so the second set-up finds them there (409).
        await _admin.PostAsJsonAsync("/api/v1/shared-services",
            new
            {
                code = "BC-MDND",
                name = "Building Control",
                hostCouncil = "MDDC",
                members = new[] { "MDDC", "NDC" },
                startMonth = "2024-04"
            });
        await _admin.PostAsJsonAsync("/api/v1/shared-services",
            new
            {
                code = "PLAN-SHWD",
                name = "Planning",
                hostCouncil = "SHDC",
                members = new[] { "SHDC", "WDBC" },
                startMonth = "2024-04"
            });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_json_batch_posts_every_line_and_reports_totals_per_service()
    {
        var lines = Enumerable.Range(0, 300).Select(i => new
        {
            service = i % 2 == 0 ? "BC-MDND" : "PLAN-SHWD",
            month = i % 3 == 0 ? "2024-05" : "2024-06",
            amount = 100.01m + i,
            category = "staff",
            paidBy = i % 4 == 0 ? "NDC" : (string?)null,
            reference = $"INV-{i}",
            description = (string?)null,
        }).Select(l => l with { paidBy = l.service == "PLAN-SHWD" ? null : l.paidBy }).ToList();

        var response = await _admin.PostAsJsonAsync("/api/v1/cost-batches", lines);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(300, batch.GetProperty("lines").GetInt32());
        Assert.Equal(lines.Sum(l => l.amount), batch.GetProperty("netAmount").GetDecimal());
        Assert.Equal(lines.Where(l => l.service == "BC-MDND").Sum(l => l.amount),
            batch.GetProperty("services").EnumerateArray()
                .Single(s => s.GetProperty("service").GetString() == "BC-MDND")
                .GetProperty("amount")
                .GetDecimal());
        Assert.Equal(300, await factory.WithDb(
            db => db.CostPostings.CountAsync(p => p.BatchId == batch.GetProperty("batchId").GetGuid())));
        await AssertTotalsEqualLedger();
    }

    [Fact]
    public async Task A_csv_batch_with_quoted_fields_is_read_like_the_json_one()
    {
        var csv = "service,month,amount,category,paidBy,reference,description\r\n"
            + "BC-MDND,2024-07,1250.50,staff,MDDC,INV-1,\"Surveyor, senior\"\r\n"
            + "BC-MDND,2024-07,-300.00,fees,NDC,FEE-9,\"Fee income \"\"plans\"\"\"\r\n";

        var response = await _admin.PostAsync(
            "/api/v1/cost-batches",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var postings = await factory.WithDb(
            db => db.CostPostings.Where(p => p.Month == new DateOnly(2024, 7, 1)).OrderBy(p => p.Amount).ToListAsync());
        Assert.Equal(["Fee income \"plans\"", "Surveyor, senior"], postings.Select(p => p.Description));
        Assert.Equal([-300.00m, 1250.50m], postings.Select(p => p.Amount));
        await AssertTotalsEqualLedger();
    }

    [Theory]
    [InlineData(
        "service,month,amount,category,paidBy,reference,description\nBC-MDND,2024-07,1.00,staff,MDDC\n",
        "lines[1]")]
    [InlineData(
            "service,month,amount,category,paidBy,reference,description\n\nBC-MDND,2024-07,1.00,staff,MDDC,,\nBC-MDND,"
                + "2024-07,x,staff,MDDC,,\n", "lines[3].amount")]
    [InlineData("service,month,amount,category,paidBy,reference\nBC-MDND,2024-07,1.00,staff,MDDC,R\n", "header")]
    [InlineData("service,month,amount,category,paidBy,reference,description\r\nBC-MDND,2024-07,1.00,staff,MDDC,R,\"not "
        + "closed\r\n", "lines[1]")]
    public async Task A_malformed_csv_batch_is_refused_naming_the_line(string csv, string field)
    {
        var before = await factory.CountAsync<CostPosting>();
        var response = await _admin.PostAsync(
            "/api/v1/cost-batches",
            new StringContent(csv, Encoding.UTF8, "text/csv"));
        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await factory.CountAsync<CostPosting>());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/csv")]
    public async Task A_bad_line_deep_in_a_large_batch_is_named_by_its_own_number_and_nothing_is_written(string type)
    {
        // Lines are read and written as they arrive: 6,000 good lines are already in the COPY when line 6,001 is
        // refused.
        var before = await factory.CountAsync<CostPosting>();
        var lines = Enumerable.Range(1, 6_002)
            .Select(i => (Month: i == 6_002 ? "2024-13" : "2024-08", Amount: i == 6_001 ? "1.005" : "12.34"))
            .ToList();
        var body = type == "text/csv"
            ? "service,month,amount,category,paidBy,reference,description\n"
                + string.Concat(lines.Select(l => $"BC-MDND,{l.Month},{l.Amount},staff,,,\n"))
            : "[" + string.Join(",", lines.Select(
                l => $$"""{"service":"BC-MDND","month":"{{l.Month}}","amount":{{l.Amount}}"""
                    + ""","category":"staff"}""")) + "]";

        var response = await _admin.PostAsync("/api/v1/cost-batches", new StringContent(body, Encoding.UTF8, type));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "lines[6001].amount", "lines[6002].month");
        Assert.Equal(2, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(before, await factory.CountAsync<CostPosting>());
        await AssertTotalsEqualLedger();
    }

    [Fact]
    public async Task A_batch_with_a_line_in_a_closed_month_is_409_after_its_lines_were_read_and_writes_nothing()
    {
        await _admin.CloseThroughAsync("BC-MDND", "2024-04");
        var before = await factory.CountAsync<CostPosting>();
        var csv = "service,month,amount,category,paidBy,reference,description\n"
            + string.Concat(
                Enumerable.Range(0, 2_000)
                .Select(_ => "BC-MDND,2024-08,10.00,staff,,,\n")) + "BC-MDND,2024-04,10.00,staff,,,\n";

        var response = await _admin.PostAsync(
            "/api/v1/cost-batches",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/closed-period", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountAsync<CostPosting>());
        await AssertTotalsEqualLedger();
    }

    [Fact]
    public async Task Pound_signs_and_accents_are_kept_wherever_the_reads_split_them()
    {
        // Multi-byte characters on every line land across the reader's chunk boundaries somewhere in 3,000 lines.
        var csv = "\uFEFFservice,month,amount,category,paidBy,reference,description\r\n"
            + string.Concat(Enumerable.Range(0, 3_000)
                .Select(i => $"PLAN-SHWD,2024-08,1.00,café,,R{i},\"£{i} for Ysgol Gymraeg, €\"\r\n"));

        var response = await _admin.PostAsync(
            "/api/v1/cost-batches",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

        var batch = await response.JsonAsync(HttpStatusCode.Created);
        var descriptions = await factory.WithDb(db => db.CostPostings
            .Where(p => p.BatchId == batch.GetProperty("batchId").GetGuid())
            .Select(p => p.Description)
            .ToListAsync());
        Assert.Equal(
            Enumerable.Range(0, 3_000).Select(i => $"£{i} for Ysgol Gymraeg, €").Order(StringComparer.Ordinal),
            descriptions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tabs_line_breaks_and_backslashes_in_descriptions_are_kept_exactly_and_no_reference_stays_null()
    {
        // A batch reaches the ledger by COPY, not as a single posting does: nothing may change on the way.
        string[] descriptions = ["Tab\there", "Two\nlines\r\nand CRLF", @"C:\ledger\N", @"\N", @"ends with \"];
        var lines = descriptions.Select((d, i) => new
        {
            service = "PLAN-SHWD",
            month = "2024-09",
            amount = 10.00m + i,
            category = "staff",
            reference = i == 0 ? null : $"ESC-{i}",
            description = d,
        }).ToList();

        var response = await _admin.PostAsJsonAsync("/api/v1/cost-batches", lines);

        var batch = await response.JsonAsync(HttpStatusCode.Created);
        var postings = await factory.WithDb(db => db.CostPostings
            .Where(p => p.BatchId == batch.GetProperty("batchId").GetGuid())
            .OrderBy(p => p.Amount)
            .ToListAsync());
        Assert.Equal(lines.Select(l => l.description), postings.Select(p => p.Description));
        Assert.Equal(lines.Select(l => l.reference), postings.Select(p => p.Reference));
        // When it was posted reads back as the answer gave it, to the microsecond the ledger keeps.
        var postedAt = batch.GetProperty("postedAt").GetDateTimeOffset();
        Assert.All(postings, p => Assert.Equal(postedAt.UtcTicks / 10, p.PostedAt.UtcTicks / 10));
    }

    [Fact]
    public async Task One_bad_line_rejects_the_whole_batch_naming_line_and_field()
    {
        var before = await factory.CountAsync<CostPosting>();
        var lines = new object[]
        {
            new { service = "BC-MDND", month = "2024-08", amount = 10.00m, category = "staff" },
            new { service = "BC-MDND", month = "2024-13", amount = 10.00m, category = "staff" },
            new { service = "BC-MDND", month = "2024-08", amount = 10.001m, category = "staff" },
            new { service = "NOPE", month = "2024-08", amount = 1m, category = "staff" },
        };

        var response = await _admin.PostAsJsonAsync("/api/v1/cost-batches", lines);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("lines[2].month", fields);
        Assert.Contains("lines[3].amount", fields);
        Assert.Equal(before, await factory.CountAsync<CostPosting>());
    }

    [Fact]
    public async Task A_batch_refused_after_checks_writes_nothing_and_leaves_totals_equal_to_the_ledger()
    {
        var before = await factory.CountAsync<CostPosting>();
        // Every line is well formed, but line 2 names a service that does not exist: refused as a whole.
        var lines = new object[]
        {
            new { service = "PLAN-SHWD", month = "2024-09", amount = 500.00m, category = "staff" },
            new { service = "PLAN-XX", month = "2024-09", amount = 500.00m, category = "staff" },
        };

        var response = await _admin.PostAsJsonAsync("/api/v1/cost-batches", lines);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await factory.CountAsync<CostPosting>());
        await AssertTotalsEqualLedger();
    }

    [Fact]
    public async Task A_batch_rolled_back_inside_its_transaction_leaves_no_totals_behind()
    {
        // The trigger moves totals in the COPY's own statement: rolling the transaction back must take them too.
        await factory.WithDb(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync(
                "insert into cost_postings (id, service_code, month, amount, category, paid_by, posted_at) values "
                    + "(gen_random_uuid(), 'BC-MDND', '2024-10-01', 999.99, 'staff', 'MDDC', now())");
            await tx.RollbackAsync();
            return 0;
        });

        await AssertTotalsEqualLedger();
        Assert.Equal(
            0,
            await factory.WithDb(db => db.CostTotals.CountAsync(t => t.Month == new DateOnly(2024, 10, 1))));
    }

    [Fact]
    public async Task Totals_equal_the_ledger_after_single_postings_reversals_and_batches()
    {
        var posted = await _admin.PostAsJsonAsync(
            "/api/v1/shared-services/PLAN-SHWD/costs",
            new { month = "2024-11", amount = 700.00m, category = "staff" });
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await _admin.PostAsJsonAsync($"/api/v1/costs/{id}/reversal", new { reason = "posted to the wrong service" }))
            .EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync(
            "/api/v1/cost-batches",
            new[] { new { service = "PLAN-SHWD", month = "2024-11", amount = 123.45m, category = "it" } }))
            .EnsureSuccessStatusCode();

        await AssertTotalsEqualLedger();
        var total = await factory.WithDb(db => db.CostTotals
            .Where(t => t.ServiceCode == "PLAN-SHWD" && t.Month == new DateOnly(2024, 11, 1))
            .SumAsync(t => t.Amount));
        Assert.Equal(123.45m, total);
    }

    [Fact]
    public async Task A_council_key_can_batch_only_what_its_own_council_paid()
    {
        var ndc = await factory.CouncilClient("NDC", "costs:write");
        var lines = new[] {
            new { service = "BC-MDND", month = "2024-12", amount = 10.00m, category = "staff", paidBy = "MDDC" } };

        var response = await ndc.PostAsJsonAsync("/api/v1/cost-batches", lines);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(
            "NDC",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_retried_batch_with_the_same_idempotency_key_is_posted_once()
    {
        var lines = new[] { new { service = "BC-MDND", month = "2025-01", amount = 42.00m, category = "staff" } };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cost-batches")
        {
            Content = JsonContent.Create(lines)
        };
        first.Headers.Add("Idempotency-Key", "month-end-2025-01");
        using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cost-batches")
        {
            Content = JsonContent.Create(lines)
        };
        retry.Headers.Add("Idempotency-Key", "month-end-2025-01");

        var a = await (await _admin.SendAsync(first)).Content.ReadFromJsonAsync<JsonElement>();
        var b = await (await _admin.SendAsync(retry)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(a.GetProperty("batchId").GetGuid(), b.GetProperty("batchId").GetGuid());
        Assert.Equal(
            1,
            await factory.WithDb(db => db.CostPostings.CountAsync(p => p.Month == new DateOnly(2025, 1, 1))));
    }

    private async Task AssertTotalsEqualLedger()
    {
        var mismatches = await factory.WithDb(db => db.Database.SqlQueryRaw<int>("""
            select count(*)::int as "Value" from (
              select service_code, month, paid_by, sum(amount) as amount, count(*) as n from cost_postings group by 1,
                  2, 3
            ) p full join cost_totals t using (service_code, month, paid_by)
            where p.amount is distinct from t.amount or p.n is distinct from t.postings
            """).SingleAsync());
        Assert.Equal(0, mismatches);
    }
}
