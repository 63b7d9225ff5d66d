using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace ProductHub.Hub.Api;

/// <summary>
/// The API's JSON: camelCase names, enums as camelCase strings, NodaTime values as ISO text. Answers, bodies and the
/// hub's own serializations (content hashes, cache keys, copies of state) read and write JSON the same way.
/// </summary>
public static class HubJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
    }

    /// <summary>Settings of one's own, for serializing outside a request.</summary>
    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        Configure(options);
        return options;
    }
}
