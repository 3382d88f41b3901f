using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Every input of a command, route values included (they are [JsonIgnore]d for body binding): what the audit trail
/// records and what an Idempotency-Key's request fingerprint covers.
/// </summary>
public static class MessageSnapshot
{
    private static readonly HashSet<string> Excluded = ["IdempotencyKey", "AuditEntity", "IfMatch", "EqualityContract"];
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static JsonObject ToJson(object message, JsonSerializerOptions options)
    {
        var json = new JsonObject();
        foreach (var property in Properties.GetOrAdd(message.GetType(), t =>
                     t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.GetIndexParameters().Length == 0 && !Excluded.Contains(p.Name))
                         .ToArray()))
        {
            json[options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name] =
                JsonSerializer.SerializeToNode(property.GetValue(message), property.PropertyType, options);
        }

        return json;
    }
}
