using System.Globalization;
using System.Net.Http.Headers;
using Apportionment.Api.Demo;
using nietras.SeparatedValues;
using static Apportionment.Api.Tests.Partnerships.PackReading;

namespace Apportionment.Api.Tests.Partnerships;

/// <summary>
/// Every report that answers CSV also answers xlsx, with the same rows: figures as numbers, codes as text.
/// </summary>
public sealed class ExcelBesideCsvTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/api/v1/councils/MDDC/recharge-statements/2025-26")]
    [InlineData("/api/v1/councils/MDDC/savings/2025-26")]
    [InlineData("/api/v1/shared-services/DAP/savings/2025-26")]
    [InlineData("/api/v1/shared-services/DAP/budget-monitoring/2025-26")]
    [InlineData("/api/v1/councils/MDDC/budget-monitoring/2025-26")]
    [InlineData("/api/v1/shared-services/BC-MDND/costs?period=2025-05")]
    [InlineData("/api/v1/shared-services/DAP/settlements/2025-26")]
    [InlineData("/api/v1/shared-services/DAP/apportionments/2025-26")]
    public async Task The_xlsx_has_the_csvs_rows_with_numbers_as_numbers(string url)
    {
        var csv = await DownloadAsync(url, "text/csv");
        var xlsx = await DownloadAsync(url, Xlsx);
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true })
            .FromText(System.Text.Encoding.UTF8.GetString(csv).TrimStart('\uFEFF'));
        var expected = new List<string[]>();
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            expected.Add(cells);
        }

        var rows = Rows(xlsx, SheetNames(xlsx).Single());

        Assert.Equal(expected.Count, rows.Count);
        foreach (var (sheetRow, csvRow) in rows.Zip(expected))
        {
            for (var i = 0; i < csvRow.Length; i++)
            {
                var cell = i < sheetRow.Length ? sheetRow[i] : null;
                var text = csvRow[i];
                if (cell is double)
                {
                    Assert.Equal(decimal.Parse(text, CultureInfo.InvariantCulture), Number(cell));
                }
                else
                {
                    // Text is written as given in xlsx; CSV neutralises a leading = + - @ with a quote.
                    Assert.Equal(text.StartsWith('\'') ? text[1..] : text, cell?.ToString() ?? "");
                }
            }
        }

        Assert.Contains(rows.Skip(1), r => r.Any(c => c is double));
    }

    private async Task<byte[]> DownloadAsync(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
