using Apportionment.Api.Infrastructure.Documents;
using PdfSharp.Drawing;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// The pack as a committee paper: A4, a title page with the date, which months are closed and which provisional and
/// the contents, then one section per table of <see cref="ReviewPackSheets"/> (the same rows as the xlsx), money
/// printed as £1,234.50, and "Page x of y" on every page.
/// </summary>
public static class ReviewPackPdf
{
    private static readonly Dictionary<string, string> Notes = new(StringComparer.Ordinal)
    {
        [ReviewPackSheets.Governance] = "The partnership's governance facts as the host council recorded them.",
        [
            ReviewPackSheets.Method] = "How the cost is split: the agreed percentage under the year's latest "
                + "agreement, each council's driver figures over the year, and what each actually bore.",
        [
            ReviewPackSheets.Cost] = "Net cost by month against the budget profile and the same month last year; "
                + "variance above zero is an overspend. Unit cost is net cost per unit of the driver.",
        [
            ReviewPackSheets.Trading] = "Each council's share of the budget and of the actual net cost, its share of "
                + "income (already netted in the actual), and its surplus (above zero) or deficit against budget.",
        [
            ReviewPackSheets.Savings] = "Saving = the council's stand-alone baseline less its share; against the "
                + "business case's annual target where one was recorded.",
        [
            ReviewPackSheets.Indicators] = "Actual against target: met, near (within 5% of the target) or missed; "
                + "trend against the same period a year earlier.",
        [ReviewPackSheets.Agreements]
            = "Agreements proposed, approved, agreed, withdrawn or taking effect during the year.",
    };

    public static byte[] Write(ReviewPackDto pack)
    {
        var title = $"{pack.ServiceName} ({pack.Service})";
        using var pdf = new PdfPages($"{title}: review pack {pack.FinancialYear}");
        pdf.Title(
            title,
            $"Partnership review pack, financial year {pack.FinancialYear}. Hosted by {pack.HostCouncil}.");
        pdf.Facts([
            ("Produced", ReviewPackSheets.Date(pack.GeneratedAt)),
            ("Months closed", $"{ReviewPackSheets.MonthsText(pack, ReviewPackReader.Closed)} ({pack.ClosedMonths} of "
                + $"{pack.Months.Count}): figures final."),
            ("Months provisional", $"{ReviewPackSheets.MonthsText(pack, ReviewPackReader.Provisional)}: figures may "
                + "still change."),
        ]);
        pdf.Heading("Contents");
        var contentsTop = pdf.Y;
        var sections = ReviewPackSheets.For(pack);
        var pages = new List<(string Name, int Page)>();
        foreach (var (sheet, n) in sections.Select((s, i) => (s, i + 1)))
        {
            pdf.NewPage();
            pages.Add(($"{n}. {sheet.Name}", pdf.PageNumber));
            pdf.Heading($"{n}. {sheet.Name}");
            pdf.Paragraph(Notes[sheet.Name]);
            if (sheet.Name == ReviewPackSheets.Governance)
            {
                pdf.Facts(sheet.Rows.Select(r => (r[0].Text ?? "", Text(r[1]))));
                continue;
            }

            var right = Enumerable.Range(0, sheet.Header.Count)
                .Select(c => sheet.Rows.Any(r => c < r.Length && r[c].Kind != SheetCellKind.Text))
                .ToArray();
            var widths = right.Select((r, c) => r ? 1.25 : c == 0 ? 1.1 : 1.0).ToArray();
            var totals = sheet.Rows.Count(
                r => r[0].Text is ReviewPackSheets.Total or "TARGET" or "BUSINESS CASE TARGET" or "AGAINST TARGET");
            pdf.Table([.. sheet.Header], sheet.Rows.Select(r => r.Select(Text).ToArray()), widths, right, totals);
            if (sheet.Rows.Count == 0)
            {
                pdf.Paragraph("None for this year.");
            }
        }

        pdf.OnPage(1, contentsTop, (gfx, text, _) =>
        {
            var y = contentsTop;
            foreach (var (name, page) in pages)
            {
                gfx.DrawString(
                    name,
                    text,
                    XBrushes.Black,
                    new XRect(PdfPages.Margin, y, PdfPages.Width, 14),
                    XStringFormats.TopLeft);
                gfx.DrawString(
                    $"page {page}",
                    text,
                    XBrushes.Black,
                    new XRect(PdfPages.Margin, y, PdfPages.Width, 14),
                    XStringFormats.TopRight);
                y += 14;
            }
        });
        return pdf.Finish(
            $"{pack.Service} review pack {pack.FinancialYear}, produced {ReviewPackSheets.Date(pack.GeneratedAt)}");
    }

    private static string Text(SheetCell cell) => cell.Kind switch
    {
        SheetCellKind.Money => PdfPages.Money(cell.Value),
        SheetCellKind.Number => PdfPages.Figure(cell.Value),
        _ => cell.Text ?? "",
    };
}
