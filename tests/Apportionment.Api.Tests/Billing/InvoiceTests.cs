using System.Net.Http.Headers;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Apportionment.Api.Tests.Billing;

public sealed class InvoiceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Theory]
    [InlineData("s101-joint-committee", null, "outside-scope", 0)]
    [InlineData("s113-staff", null, "outside-scope", 0)]
    [InlineData("goods-and-services-act", null, "standard", 1200)]
    [InlineData("contract", null, "standard", 1200)]
    [InlineData("contract", "outside-scope", "outside-scope", 0)]
    [InlineData("s101-joint-committee", "standard", "standard", 1200)]
    public async Task Vat_follows_the_legal_basis_unless_the_terms_override_it(
        string basis,
        string? overrideVat,
        string expected,
        decimal vat)
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms(basis, overrideVat),
            ("H", 40m),
            ("A", 20m),
            ("B", 20m),
            ("C", 20m));

        var terms = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/billing");
        Assert.Equal(expected, terms.Text("vatTreatment"));
        var invoices = await _admin.IssueAsync(service, "2025-26-Q1");

        Assert.Equal(3, invoices.Count);
        Assert.DoesNotContain(invoices, i => i.Text("council") == councils[0]);
        Assert.All(invoices, i => Assert.Equal(6_000m, i.Money("net")));
        Assert.All(invoices, i => Assert.Equal(vat, i.Money("vat")));
        Assert.All(invoices, i => Assert.Equal(6_000m + vat, i.Money("gross")));
    }

    [Fact]
    public async Task Bad_terms_are_refused_naming_the_field_and_only_the_host_sets_them()
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            12_000m,
            BillingSteps.Terms(),
            ("H", 50m),
            ("A", 50m));

        var bad = await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/billing",
            BillingSteps.Terms("treaty", basis: "estimate"));
        await bad.ProblemAsync(HttpStatusCode.BadRequest, "legalBasis", "estimate");
        var partner = await factory.CouncilClient(councils[1], "billing:write", "statements:read");
        var refused = await partner.PutAsJsonAsync($"/api/v1/shared-services/{service}/billing", BillingSteps.Terms());
        await refused.ProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.IssueRawAsync(service, "2025-26-Q1")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Raising_a_period_again_returns_the_same_invoices_and_a_wrong_period_is_refused()
    {
        var (service, _) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms(),
            ("H", 40m),
            ("A", 30m),
            ("B", 30m));

        var first = await _admin.IssueAsync(service, "2025-26-Q2");
        var again = await _admin.IssueAsync(service, "2025-26-Q2", HttpStatusCode.OK);

        Assert.Equal(first.Select(i => i.Text("number")), again.Select(i => i.Text("number")));
        await (await _admin.IssueRawAsync(service, "2025-07")).ProblemAsync(HttpStatusCode.BadRequest, "period");
        Assert.Equal(2, (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/invoices")).Items().Count);
    }

    [Fact]
    public async Task Invoice_numbers_run_per_host_without_gaps_or_duplicates_under_concurrency()
    {
        var host = (await _admin.NewCouncilsAsync("NUM"))[0];
        var partners = await _admin.NewCouncilsAsync("P1", "P2");
        var services = new List<string>();
        for (var s = 0; s < 4; s++)
        {
            var code = await _admin.ServiceWithFixedSplitAsync(
                "NUM",
                "2025-04",
                (host, 50m),
                (partners[0], 25m),
                (partners[1], 25m));
            await (await _admin.PutAsJsonAsync(
                $"/api/v1/shared-services/{code}/budgets/2025-26",
                new { budget = 48_000m, profile = "flat" })).JsonAsync(HttpStatusCode.OK);
            await _admin.PutTermsAsync(code, BillingSteps.Terms(schedule: "monthly"));
            services.Add(code);
        }

        var months = new[] { "2025-04", "2025-05", "2025-06" };
        var runs = services.SelectMany(s => months.Select(m => (s, m)))
            .Select(async r => await factory.Admin().IssueAsync(r.s, r.m));
        var numbers = (await Task.WhenAll(runs)).SelectMany(i => i).Select(i => i.Text("number")).ToList();

        Assert.Equal(24, numbers.Count);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        var sequences = numbers.Select(n => int.Parse(n[^5..], System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        Assert.Equal(Enumerable.Range(1, 24), sequences);
        Assert.All(numbers, n => Assert.StartsWith(host + "-", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Payments_part_pay_then_pay_an_invoice_and_an_over_payment_is_refused()
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms("contract"),
            ("H", 50m),
            ("A", 50m));
        var invoice = (await _admin.IssueAsync(service, "2025-26-Q1")).Single();
        var number = invoice.Text("number");
        Assert.Equal(18_000m, invoice.Money("gross"));

        var part = await _admin.PayAsync(service, number, 5_000m, "BACS-1");
        Assert.Equal("part-paid", part.GetProperty("invoiceAfter").Text("status"));
        Assert.Equal(13_000m, part.GetProperty("invoiceAfter").Money("outstanding"));
        var replay = await _admin.PayAsync(service, number, 5_000m, "BACS-1");
        Assert.Equal(part.Text("id"), replay.Text("id"));

        var over = await _admin.PayRawAsync(service, number, 13_000.01m, "BACS-2");
        await over.ProblemAsync(HttpStatusCode.BadRequest, "amount");
        var partner = await factory.CouncilClient(councils[1], "billing:write", "statements:read");
        await (await partner.PayRawAsync(service, number, 1m, "BACS-3")).ProblemAsync(HttpStatusCode.Forbidden);

        var rest = await _admin.PayAsync(service, number, 13_000m, "BACS-2");
        Assert.Equal("paid", rest.GetProperty("invoiceAfter").Text("status"));
        Assert.Equal(0m, rest.GetProperty("invoiceAfter").Money("outstanding"));
        var invoiceId = await factory.WithDb(
            db => db.Invoices.Where(i => i.Number == number).Select(i => i.Id).SingleAsync());
        Assert.Equal([5_000m, 13_000m], await factory.WithDb(db => db.InvoicePayments
            .Where(p => p.InvoiceId == invoiceId)
            .OrderBy(p => p.Amount)
            .Select(p => p.Amount)
            .ToListAsync()));
        // Each request is in the audit trail, the answered repeat included.
        Assert.Equal(3, await factory.WithDb(
            db => db.AuditEvents.CountAsync(e => e.Entity == "invoice-payment" && e.EntityId.StartsWith(number))));
        // invoice.paid goes out for each payment recorded (not the repeat), saying how far the invoice is paid.
        Assert.Equal(2, await factory.WithDb(
            db => db.WebhookEvents.CountAsync(e => e.Type == "invoice.paid" && e.ServiceCode == service)));
    }

    [Fact]
    public async Task Cancelling_raises_a_credit_note_and_the_period_can_be_billed_again()
    {
        var (service, _) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms("contract"),
            ("H", 50m),
            ("A", 50m));
        var invoice = (await _admin.IssueAsync(service, "2025-26-Q3")).Single();

        var credit = await (await _admin.PostAsync(
            $"/api/v1/shared-services/{service}/invoices/{invoice.Text("number")}/cancellation",
            null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("credit-note", credit.Text("kind"));
        Assert.Equal(-invoice.Money("gross"), credit.Money("gross"));
        Assert.Equal(invoice.Text("number"), credit.Text("cancels"));
        var reissued = (await _admin.IssueAsync(service, "2025-26-Q3")).Single();
        Assert.NotEqual(invoice.Text("number"), reissued.Text("number"));
        var all = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/invoices")).Items();
        Assert.Equal(["cancelled", "issued", "issued"], all.Select(i => i.Text("status")));
    }

    [Fact]
    public async Task A_partner_sees_only_its_own_invoices()
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms(),
            ("H", 40m),
            ("A", 30m),
            ("B", 30m));
        var invoices = await _admin.IssueAsync(service, "2025-26-Q1");
        var a = await factory.CouncilClient(councils[1], "statements:read");
        var host = await factory.CouncilClient(councils[0], "statements:read");

        var seen = (await a.GetJsonAsync($"/api/v1/shared-services/{service}/invoices")).Items();
        Assert.Equal([councils[1]], seen.Select(i => i.Text("council")));
        var others = invoices.Single(i => i.Text("council") == councils[2]).Text("number");
        await (await a.GetAsync($"/api/v1/shared-services/{service}/invoices/{others}")).ProblemAsync(
            HttpStatusCode.NotFound);
        await (await a.GetAsync($"/api/v1/councils/{councils[2]}/invoices")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Single((await a.GetJsonAsync($"/api/v1/councils/{councils[1]}/invoices?role=received")).Items());
        Assert.Equal(
            2,
            (await host.GetJsonAsync($"/api/v1/councils/{councils[0]}/invoices?role=issued")).Items().Count);
        Assert.Equal(2, (await host.GetJsonAsync($"/api/v1/shared-services/{service}/invoices")).Items().Count);
    }

    [Fact]
    public async Task The_pdf_names_both_councils_the_figures_and_the_approvals_as_the_api_does()
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            100_000.01m,
            BillingSteps.Terms("contract"),
            ("H", 66.6667m),
            ("A", 33.3333m));
        var number = (await _admin.IssueAsync(service, "2025-26-Q4")).Single().Text("number");
        var json = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/invoices/{number}");
        var invoice = json.GetProperty("invoice");

        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"/api/v1/shared-services/{service}/invoices/{number}");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        var response = await factory.Admin().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));

        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains($"{councils[0]} Council", text, StringComparison.Ordinal);
        Assert.Contains($"{councils[1]} Council", text, StringComparison.Ordinal);
        Assert.Contains(Pounds(invoice.Money("net")), text, StringComparison.Ordinal);
        Assert.Contains(Pounds(invoice.Money("vat")), text, StringComparison.Ordinal);
        Assert.Contains(Pounds(invoice.Money("gross")), text, StringComparison.Ordinal);
        Assert.Contains($"Page 1 of {pdf.NumberOfPages}", text, StringComparison.Ordinal);
        Assert.Equal(2, json.GetProperty("agreements")[0].GetProperty("approvals").GetArrayLength());
        Assert.Contains(
            $"Approved by {councils[1]} Council",
            string.Join(" ", text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_show_what_was_invoiced_and_paid_and_settlements_count_the_payments()
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            120_000m,
            BillingSteps.Terms(),
            ("H", 50m),
            ("A", 50m));
        foreach (var month in new[] { "2025-04", "2025-05", "2025-06" })
        {
            await _admin.PostCostAsync(service, month, 10_000m, councils[0]);
        }

        var number = (await _admin.IssueAsync(service, "2025-26-Q1")).Single().Text("number");
        await _admin.PayAsync(service, number, 10_000m, "BACS-77");

        var statement = await _admin.StatementAsync(councils[1], "2025-26-Q1");
        var line = statement.GetProperty("lines").EnumerateArray().Single(l => l.Text("service") == service);
        Assert.Equal(15_000m, line.Money("share"));
        Assert.Equal(15_000m, line.Money("balance"));
        Assert.Equal(15_000m, line.Money("invoicedOnAccount"));
        Assert.Equal(10_000m, line.Money("paid"));
        Assert.Equal(5_000m, line.Money("outstanding"));
        Assert.Equal(5_000m, statement.GetProperty("totals").Money("outstanding"));
        var settlement = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/settlements/2025-26-Q1");
        var transfer = settlement.GetProperty("transfers").EnumerateArray().Single();
        Assert.Equal(
            (councils[1], councils[0], 5_000m),
            (transfer.Text("from"), transfer.Text("to"), transfer.Money("amount")));
    }

    private static string Pounds(decimal amount)
        => amount.ToString("£#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
}
