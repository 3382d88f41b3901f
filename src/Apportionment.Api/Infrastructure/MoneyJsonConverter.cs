using System.Text.Json;
using System.Text.Json.Serialization;

namespace Apportionment.Api.Infrastructure;

/// <summary>
/// Reads JSON numbers straight into decimal (never through double) and writes every decimal with at least two
/// places, so £200 is always "200.00" whatever scale the arithmetic left it with.
/// </summary>
public sealed class MoneyJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value)
            ? value
            : throw new JsonException("Expected a JSON number within the range of a decimal.");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.Scale >= 2 ? value : decimal.Round(value, 2) + 0.00m);
}
