using System.Text.RegularExpressions;
using Apportionment.Api.Infrastructure.Input;

namespace Apportionment.Api.Infrastructure.Validation;

/// <summary>Field rules every validator shares, so a council code or a month means the same everywhere.</summary>
public static partial class Rules
{
    [GeneratedRegex("^[A-Z0-9-]{2,16}$")]
    private static partial Regex CodePattern();

    public static bool IsCode(string? value) => value is not null && CodePattern().IsMatch(value);

    public static void Code(this ValidationErrors errors, string field, string? value)
    {
        if (!IsCode(value))
        {
            errors.Add(field, "Must be 2–16 characters of A–Z, 0–9 and '-'.");
        }
    }

    /// <summary>
    /// Free text such as a description or a note: tabs and line breaks allowed, other control characters not.
    /// </summary>
    public static void Text(this ValidationErrors errors, string field, string? value, int max, bool required = true) =>
        errors.CheckText(field, value, max, required, InputText.FreeTextProblem);

    /// <summary>
    /// A name or other one-line text (council, service, category, reference): no control or bidi characters.
    /// </summary>
    public static void Name(this ValidationErrors errors, string field, string? value, int max, bool required = true) =>
        errors.CheckText(field, value, max, required, InputText.NameProblem);

    private delegate string? TextRule(ReadOnlySpan<char> text);

    private static void CheckText(
        this ValidationErrors errors,
        string field,
        string? value,
        int max,
        bool required,
        TextRule rule)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Is required.");
            }
        }
        else if (value.Length > max)
        {
            errors.Add(field, $"Must be at most {max} characters.");
        }
        else if (rule(value) is { } problem)
        {
            errors.Add(field, problem);
        }
    }

    /// <summary>Lists arrive as JSON arrays; a null element ([null]) is refused rather than failing later.</summary>
    public static bool NoNullElements<T>(this ValidationErrors errors, string field, IReadOnlyList<T?>? items)
    {
        var clean = true;
        for (var i = 0; items is not null && i < items.Count; i++)
        {
            if (items[i] is null)
            {
                errors.Add($"{field}[{i}]", "Must not be null.");
                clean = false;
            }
        }

        return clean;
    }

    public static void MonthText(this ValidationErrors errors, string field, string? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "Is required, as a month like 2024-05.");
            }
        }
        else if (!Month.TryParse(value, out _, out var error))
        {
            errors.Add(field, error ?? "Must be a month like 2024-05.");
        }
    }

    public static void PeriodText(this ValidationErrors errors, string field, string? value)
    {
        if (!Period.TryParse(value, out _, out var error))
        {
            errors.Add(
                field,
                error ?? "Must be a month (2024-05), a quarter (2024-25-Q1) or a financial year (2024-25).");
        }
    }

    public static void Money(this ValidationErrors errors, string field, decimal? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "Is required, in pounds with at most two decimal places.");
            }
        }
        else if (!Domain.Money.HasAtMostTwoPlaces(value.Value))
        {
            errors.Add(field, "Must have at most two decimal places (pence); amounts are never rounded silently.");
        }
        else if (Math.Abs(value.Value) >= 1_000_000_000_000m)
        {
            errors.Add(field, "Must be less than £1,000,000,000,000 in size.");
        }
    }

    public static void Paging(this ValidationErrors errors, int? offset, int? limit)
    {
        if (offset is < 0)
        {
            errors.Add("offset", "Must be 0 or more.");
        }

        if (limit is < 1 or > 500)
        {
            errors.Add("limit", "Must be between 1 and 500.");
        }
    }
}
