namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>Months are stored as their first day; in the API they are written 2024-05.</summary>
public static class MonthColumns
{
    public static string ToMonthText(this DateOnly firstDay) => Month.FromDate(firstDay).ToString();

    public static DateOnly ToMonthColumn(this string month) => Month.Parse(month).FirstDay;
}
