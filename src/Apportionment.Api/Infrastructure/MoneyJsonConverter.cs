using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Apportionment.Api.Infrastructure.Input;
using Apportionment.Api.Infrastructure.OpenApi;

namespace Apportionment.Api.Infrastructure;

/// <summary>
/// Reads JSON numbers straight into decimal (never through double), refusing any the decimal would round (1e-400 is
/// not 0.00), and writes every figure with a fixed number of places however the arithmetic left its scale: money
/// with exactly two (£200 is "200.00", never "200" or "200.00000"), percentages (<see cref="Percent"/>) with exactly
/// four. A figure with more significant places than that (an activity figure such as 12.3456) keeps them.
/// </summary>
public sealed class MoneyJsonConverter(int places = 2) : JsonConverter<decimal>
{
    public static readonly MoneyJsonConverter Percent = new(4);

    // decimal keeps trailing zeros as scale: adding a zero with the wanted scale pads up to it.
    private readonly decimal _padding = new(0, 0, 0, false, (byte)places);

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected a JSON number.");
        }

        var exact = reader.HasValueSequence
            ? ExactNumber.IsExactDecimal<byte>(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
            : ExactNumber.IsExactDecimal(reader.ValueSpan);
        return exact && reader.TryGetDecimal(out var value)
            ? value
            : throw new InvalidInputException(
                "Must be a number a decimal holds exactly: at most 28 significant digits and 28 decimal places.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        var rounded = decimal.Round(value, places);
        writer.WriteNumberValue(rounded == value ? rounded + _padding : value / 1.0000000000000000000000000000m);
    }

    /// <summary>
    /// Percent fields (named as in the contract: percent, sharePercent) are written with four places.
    /// </summary>
    public static void UsePercentPlaces(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            // Only plain decimals: a JsonConverter<decimal> cannot be set on a decimal? property (an optional percent,
            // e.g. a support agreement's, is read and written by the global converter instead).
            if (property.PropertyType == typeof(decimal) && FieldRules.IsPercent(property.Name))
            {
                property.CustomConverter = Percent;
            }
        }
    }
}
