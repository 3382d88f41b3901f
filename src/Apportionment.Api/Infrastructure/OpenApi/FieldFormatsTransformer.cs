using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Money, percentages, months, periods and codes, documented as the API checks them. decimal goes through
/// MoneyJsonConverter, which the schema generator cannot see into, so its schema is spelled out here. Nullable
/// properties are optional: the API omits nulls in responses and treats absent fields in requests as null. The
/// version's "service" is the product name, not a service code, so the code rule skips it.
/// </summary>
public sealed class FieldFormatsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(
        OpenApiSchema schema,
        OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var name = context.JsonPropertyInfo?.Name;
        if (type == typeof(decimal))
        {
            DescribeNumber(schema, name is not null && FieldRules.IsPercent(name));
            // decimal? is optional (absent = null), like every other nullable field.
            if (ShownWhenNull(context.JsonPropertyInfo)
                || Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null)
            {
                schema.Type |= JsonSchemaType.Null;
            }
        }
        else if (name is not null && type == typeof(string) && FieldRules.PatternFor(name) is { } pattern
            && !typeof(IFreeFormText).IsAssignableFrom(context.JsonPropertyInfo?.DeclaringType))
        {
            schema.Pattern = pattern;
            schema.Description ??= FieldRules.DescriptionFor(name);
        }
        else if (name is not null && FieldRules.IsCodeList(name)
            && schema.Items is OpenApiSchema { Type: { } itemType } items
            && itemType.HasFlag(JsonSchemaType.String))
        {
            items.Pattern = FieldRules.CodePattern;
        }
        else if (type == typeof(System.Text.Json.JsonElement))
        {
            // The one free-form body field is a budget's profile: the word "flat" or twelve monthly amounts.
            var amount = new OpenApiSchema();
            DescribeNumber(amount, percent: false);
            schema.OneOf =
            [
                new OpenApiSchema {
                    Type = JsonSchemaType.String,
                    Enum = [System.Text.Json.Nodes.JsonValue.Create("flat")] },
                new OpenApiSchema { Type = JsonSchemaType.Array, Items = amount, MinItems = 12, MaxItems = 12 },
            ];
            schema.Description ??= "A budget profile: \"flat\" (spread evenly over the months the service runs, spare "
                + "pence to the earliest months) "
                + "or twelve monthly amounts, April to March, adding up to the budget exactly.";
        }
        else if (name == "quantities" && type.IsAssignableTo(typeof(IEnumerable<KeyValuePair<string, decimal>>)))
        {
            var figure = new OpenApiSchema { Minimum = "0" };
            DescribeNumber(figure, percent: false);
            figure.Description = "The council's figure for the driver, 0 or more, at most four decimal places.";
            schema.AdditionalProperties = figure;
            schema.PropertyNames = new OpenApiSchema { Pattern = FieldRules.CodePattern };
            schema.Description ??= "Figures keyed by council code.";
        }

        if (schema.Properties is { Count: > 0 } properties && schema.Required is { Count: > 0 } required)
        {
            foreach (var (property, propertySchema) in properties)
            {
                if (propertySchema is OpenApiSchema { Type: { } t } && t.HasFlag(JsonSchemaType.Null))
                {
                    required.Remove(property);
                }
            }

            // A nullable value type (decimal?, int?) may be left out even where its schema is filled in later.
            foreach (var info in context.JsonTypeInfo.Properties)
            {
                if (Nullable.GetUnderlyingType(info.PropertyType) is not null)
                {
                    required.Remove(info.Name);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A response figure that is null on purpose (e.g. no baseline) and written as null rather than omitted.
    /// </summary>
    private static bool ShownWhenNull(JsonPropertyInfo? property) =>
        property?.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), true)
            .OfType<JsonIgnoreAttribute>()
            .Any(a => a.Condition == JsonIgnoreCondition.Never) == true;

    /// <summary>
    /// The places rule (two for money, four for percentages and figures) is in the description and checked by the API,
    /// not expressed as multipleOf: validators test that in binary floating point, so ajv-based tools such as Prism
    /// would reject correct values (306606.09 "is not a multiple of 0.01").
    /// </summary>
    private static void DescribeNumber(OpenApiSchema schema, bool percent)
    {
        schema.Type = JsonSchemaType.Number | ((schema.Type ?? 0) & JsonSchemaType.Null);
        schema.Format = "decimal";
        schema.Description ??= percent ? FieldRules.PercentDescription : FieldRules.MoneyDescription;
    }
}
