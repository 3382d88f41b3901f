using Apportionment.Api.Features.Billing;
using Mediator;

namespace Apportionment.Api.Demo;

/// <summary>
/// Billing for the demo: the Devon Audit Partnership billed quarterly on budget share (a s101 joint committee, outside
/// the scope of VAT), building control standard-rated (goods and services in competition with approved inspectors).
/// 2024-25 is billed, paid and its year end issued; 2025-26 is billed with one building control invoice overdue and
/// Plymouth part-way through paying DAP's last quarter.
/// </summary>
public static class DemoBilling
{
    // When each quarter's invoices went out: the first working day after the quarter began.
    private static readonly string[] Raised = ["07-01", "10-01", "01-02", "04-01"];

    public static async Task LoadAsync(IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new PutBillingTerms(
            "s101-joint-committee",
            null,
            "invoice",
            "quarterly",
            "budget",
            null,
            30,
            null)
        { Service = "DAP" }, ct);
        await mediator.Send(new PutBillingTerms(
            "goods-and-services-act",
            null,
            "invoice",
            "quarterly",
            "budget",
            null,
            30,
            null)
        { Service = "BC-MDND" }, ct);

        foreach (var service in new[] { "DAP", "BC-MDND" })
        {
            for (var q = 1; q <= 4; q++)
            {
                var run = await mediator.Send(
                    new IssueInvoices($"2024-25-Q{q}", Dated(2024, q)) { Service = service },
                    ct);
                await PayAsync(mediator, run, Dated(2024, q, days: 21), ct);
            }
        }

        await mediator.Send(new IssueYearEnd { Service = "DAP", FinancialYear = "2024-25" }, ct);
        await mediator.Send(new IssueYearEnd { Service = "BC-MDND", FinancialYear = "2024-25" }, ct);

        for (var q = 1; q <= 3; q++)
        {
            var run = await mediator.Send(new IssueInvoices($"2025-26-Q{q}", Dated(2025, q)) { Service = "DAP" }, ct);
            await PayAsync(mediator, run, Dated(2025, q, days: 21), ct);
        }

        var last = await mediator.Send(new IssueInvoices("2025-26-Q4") { Service = "DAP" }, ct);
        var plymouth = last.Invoices.Single(i => i.Council == "PCC");
        await mediator.Send(new RecordPayment(
            Math.Round(plymouth.Gross / 2, 2),
            last.Invoices[0].IssuedOn.ToString("yyyy-MM-dd"),
            "PCC-BACS-2025-26-Q4-1")
        {
            Service = "DAP", Number = plymouth.Number,
        }, ct);

        var paid = await mediator.Send(new IssueInvoices("2025-26-Q1", Dated(2025, 1)) { Service = "BC-MDND" }, ct);
        await PayAsync(mediator, paid, Dated(2025, 1, days: 21), ct);
        // Raised in October and never paid: overdue since its 30 days ran out.
        await mediator.Send(new IssueInvoices("2025-26-Q2", Dated(2025, 2)) { Service = "BC-MDND" }, ct);
    }

    private static async Task PayAsync(IMediator mediator, InvoiceRunDto run, string paidOn, CancellationToken ct)
    {
        foreach (var invoice in run.Invoices)
        {
            await mediator.Send(new RecordPayment(invoice.Gross, paidOn, $"{invoice.Council}-BACS-{run.Period}")
            {
                Service = run.Service,
                Number = invoice.Number
            }, ct);
        }
    }

    private static string Dated(int yearStart, int quarter, int days = 0)
    {
        var day = DateOnly.ParseExact(
            $"{(quarter == 4 ? yearStart + 1 : yearStart)}-{Raised[quarter - 1]}",
            "yyyy-MM-dd");
        return day.AddDays(days).ToString("yyyy-MM-dd");
    }
}
