using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Apportionment.Api.Infrastructure.Input;

/// <summary>
/// What text the ledger accepts. PostgreSQL refuses NUL outright (error 22P05, which would surface as a 500), other
/// control characters and unpaired surrogates are never meant in a name or a note, and bidirectional overrides make a
/// name read differently from what it is (a council "Trojan Source" in a statement or a spreadsheet).
/// </summary>
public static class InputText
{
    /// <summary>The problem with free text (a description or note: tabs and line breaks allowed), or null.</summary>
    public static string? FreeTextProblem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return $"Must not contain control characters (found U+{(int)c:X4}).";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "Must not contain an unpaired surrogate (\\uD800–\\uDFFF on its own).";
            }
        }

        return null;
    }

    /// <summary>
    /// The problem with a name or any one-line text (no control characters at all, no bidi controls), or null.
    /// </summary>
    public static string? NameProblem(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return $"Must not contain control characters such as tabs or line breaks (found U+{(int)c:X4}).";
            }

            if (IsBidiControl(c))
            {
                return $"Must not contain bidirectional control characters (found U+{(int)c:X4}), which make text "
                    + "display differently from what it says.";
            }
        }

        return FreeTextProblem(text);
    }

    /// <summary>
    /// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks U+200E, U+200F, U+061C.
    /// </summary>
    public static bool IsBidiControl(char c)
        => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}

/// <summary>A JSON value the serializer could read but the API refuses; its message is meant for the client.</summary>
public sealed class InvalidInputException(string message, string? property = null) : JsonException(message)
{
    /// <summary>The field under the serializer's path (the object's), when the check ran on a whole object.</summary>
    public string FieldUnder(string objectPath) =>
        property is null || objectPath == property || objectPath.EndsWith("." + property, StringComparison.Ordinal)
            ? objectPath
            : objectPath.Length == 0 ? property
        : objectPath + "." + property;
}

/// <summary>
/// Every string property of every request object passes the free-text rule as soon as the object is read, so nothing
/// a client sends can carry NUL to PostgreSQL whichever field (or a field added later) it arrives in; the 400 names
/// the field. Names are checked more strictly by their validators (Rules.Name). A check after reading, rather than a
/// string converter, keeps the OpenAPI schema of every string as the generator sees it.
/// </summary>
public static class InputTextChecks
{
    public static void RefuseControlCharacters(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(InputText).Assembly)
        {
            return;
        }

        var strings = type.Properties.Where(p => p.PropertyType == typeof(string) && p.Get is not null).ToArray();
        if (strings.Length == 0)
        {
            return;
        }

        type.OnDeserialized = value =>
        {
            foreach (var property in strings)
            {
                if (property.Get!(value) is string text && InputText.FreeTextProblem(text) is { } problem)
                {
                    throw new InvalidInputException(problem, property.Name);
                }
            }
        };
    }
}

/// <summary>
/// Query strings and path segments pass the name rule before any handler sees them: a NUL in ?council= or a %00 in
/// a code would otherwise reach PostgreSQL. The 400 names the parameter.
/// </summary>
public sealed class InputTextFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (value is not null && InputText.NameProblem(value) is { } problem)
                {
                    throw Errors.RequestValidationException.For(name, problem);
                }
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && InputText.NameProblem(text) is { } problem)
            {
                throw Errors.RequestValidationException.For(name, problem);
            }
        }

        return next(context);
    }
}
