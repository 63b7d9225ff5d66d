using System.Text;
using System.Text.Json.Nodes;

namespace ProductHub.Tests.Faults;

/// <summary>One request a hostile or broken client might send.</summary>
public sealed record HostileRequest(string Method, string Url, string? ContentType, byte[] Body, string Kind)
{
    public override string ToString() =>
        $"{Kind}: {Method} {(Url.Length > 200 ? Url[..200] + "…" : Url)} ({ContentType ?? "no content type"}, {Body.Length} bytes) {Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300))}";
}

/// <summary>
/// A seeded generator of requests that no endpoint may accept: malformed or truncated JSON, wrong types, deep
/// nesting, huge numbers, invalid Unicode, bodies over the size limit, with SQL and JSON injection in every route
/// value and string. Every body is broken somewhere, so a 2xx means the hub took something it should have refused.
/// </summary>
public sealed class HostileRequests(int seed, long bodyLimit)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE producthub.mt_events; --", "\"; DELETE FROM producthub.mt_streams; --",
        "1; SELECT pg_sleep(10)", "\\\"},{\"admin\":true,\"x\":\"", "{\"$ne\":null}", "<script>alert(1)</script>",
        "../../../../etc/passwd", "${jndi:ldap://x/a}", "%s%s%s%n", "\u0000", "\u202e\u0041\u200b", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 漢字",
        "", " ", new string('A', 5000), "null", "-1", "9".PadRight(400, '9'),
    ];

    // Percent-encoded bytes that are not UTF-8 or encode a lone surrogate: decoded by the server, not by us.
    // (A NUL in a path never reaches the hub: Kestrel refuses it, and the in-memory test server throws on it.)
    private static readonly string[] RawRouteValues = ["%FF%FE", "%ED%A0%80", "%C3%28", "%2F..%2F", "a%20b", "%25"];

    private static readonly string[] Malformed =
    [
        "", "{", "}", "[", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "{a: 1}", "{\"a\": 1,}", "[1, 2,]", "{\"a\": NaN}",
        "{\"a\": Infinity}", "{\"a\": 01}", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1} trailing", "/* comment */ {}",
        "{\"a\": \"unterminated}", "{\"a\": \"bad \\x escape\"}", "\u00ef\u00bb\u00bf{", "{\"a\": tru}", "nul",
        "<?xml version=\"1.0\"?><release/>", "partNumber,revision\nPUMP,A", "\0\0\0\0",
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "application/json", "application/json", "application/problem+json", "text/csv", "text/plain", "application/xml", "multipart/form-data; boundary=x"];

    private static readonly Func<JsonNode>[] Templates =
    [
        () => JsonNode.Parse("""
            {"packageId":"FUZZ-1","source":"plm","releasedAt":"2026-01-10T08:00:00Z","changeOrder":"CO-1","parts":[
             {"partNumber":"PUMP","revision":"B","description":"Pump","unit":"EA","type":"make","effectiveFrom":"2026-02-01",
              "bom":[{"findNumber":10,"partNumber":"HOUSING","quantity":1,"unit":"EA"}]}]}
            """)!,
        () => JsonNode.Parse("""{"name":"Plant","erpInstance":"erp-test","rules":{"exclusions":["GREASE"],"phantoms":["SEALKIT"]}}""")!,
        () => JsonNode.Parse("""{"dimension":"mass","factor":0.001}""")!,
        () => JsonNode.Parse("""{"channel":"http","http":{"url":"http://127.0.0.1:9/erp","timeoutSeconds":5},"retry":{"maxAttempts":3,"backoffSeconds":[1]}}""")!,
        () => JsonNode.Parse("""
            {"eventId":"EV-1","type":"ProductionHoldPlaced","source":"mes","plant":"P1","partNumber":"PUMP","revision":"A",
             "occurredAt":"2026-03-01T10:00:00Z"}
            """)!,
        () => JsonNode.Parse("""
            {"number":"CO-1","type":"standard","reason":"Cheaper seal","affected":[{"partNumber":"PUMP","revision":"A"}],
             "requestedEffectivity":"2026-04-01"}
            """)!,
        () => JsonNode.Parse("""{"reference":"ERP-1"}""")!,
        () => JsonNode.Parse("""{"instance":"erp-test","from":"2026-01-01T00:00:00Z","to":"2026-12-31T00:00:00Z"}""")!,
        () => JsonNode.Parse("""{"url":"http://127.0.0.1:9/hook","secret":"s3cret-s3cret"}""")!,
        () => JsonNode.Parse("""{"reason":"duplicate data"}""")!,
        () => JsonNode.Parse("""{"rows":[{"partNumber":"PUMP","standardCost":12.5,"currency":"EUR"}]}""")!,
    ];

    public HostileRequest Next(string method, string routePattern)
    {
        var url = Url(routePattern);
        var (contentType, body, kind) = _random.Next(12) switch
        {
            0 => ("application/json", Utf8(Pick(Malformed)), "malformed JSON"),
            1 => ("application/json", Truncated(), "truncated JSON"),
            2 or 3 => ("application/json", Utf8(WrongType().ToJsonString()), "wrong type"),
            4 => ("application/json", Utf8(Pick(WrongRoots())), "wrong root"),
            5 => ("application/json", Utf8(DeeplyNested()), "deep nesting"),
            6 => ("application/json", InvalidUtf8(), "invalid UTF-8"),
            7 => ("application/json", Utf8(LoneSurrogate()), "lone surrogate"),
            8 => (Pick(ContentTypes), Utf8(WrongType().ToJsonString()), "wrong content type"),
            9 => ((string?)null, Utf8(Pick(Malformed)), "no content type"),
            _ => ("application/json", Utf8(WrongType(hostileStrings: true).ToJsonString()), "injection"),
        };
        return new HostileRequest(method, url, contentType, body, kind);
    }

    /// <summary>A body just over the limit: refused whole, whatever it holds.</summary>
    public HostileRequest Oversized(string method, string routePattern) =>
        new(method, Url(routePattern), "application/json", _oversized.Value, "oversized");

    private readonly Lazy<byte[]> _oversized = new(() => Encoding.UTF8.GetBytes("[" + new string('1', (int)bodyLimit) + "]"));

    private string Url(string routePattern) => "/" + string.Join('/', routePattern.TrimStart('/').Split('/').Select(segment =>
        segment.StartsWith('{') ? RouteValue() : segment));

    private string RouteValue() => _random.Next(3) switch
    {
        0 => Pick(RawRouteValues),
        1 => "FUZZ-" + _random.Next(1_000_000),
        _ => Uri.EscapeDataString(Pick(Injections.Where(i => i.Length > 0 && !i.Contains('\0')).ToArray())),
    };

    private byte[] Truncated()
    {
        var text = Pick(Templates)().ToJsonString();
        return Utf8(text[.._random.Next(1, text.Length)]);
    }

    /// <summary>A template with one typed value swapped for a value of another JSON type.</summary>
    private JsonNode WrongType(bool hostileStrings = false)
    {
        var body = Pick(Templates)();
        var leaves = Leaves(body).ToList();
        if (hostileStrings)
        {
            foreach (var leaf in leaves.Where(l => l.GetValueKind() == System.Text.Json.JsonValueKind.String))
                Replace(leaf, JsonValue.Create(Pick(Injections)));
        }
        var target = Pick(Leaves(body).ToArray());
        var isString = target.GetValueKind() == System.Text.Json.JsonValueKind.String;
        JsonNode replacement = _random.Next(5) switch
        {
            0 => isString ? JsonNode.Parse("1e400")! : JsonValue.Create(Pick(Injections))!,
            1 => isString ? JsonNode.Parse("123456789012345678901234567890123456789")! : JsonValue.Create("12")!,
            2 => new JsonArray(JsonValue.Create(Pick(Injections))),
            3 => new JsonObject { ["$ne"] = null },
            _ => isString ? JsonValue.Create(-0.0)! : new JsonArray(),
        };
        Replace(target, replacement);
        return body;
    }

    private static IEnumerable<JsonValue> Leaves(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Leaves),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Leaves),
        JsonValue v => [v],
        _ => [],
    };

    private static void Replace(JsonValue leaf, JsonNode replacement)
    {
        switch (leaf.Parent)
        {
            case JsonObject o: o[leaf.GetPropertyName()] = replacement; break;
            case JsonArray a: a[leaf.GetElementIndex()] = replacement; break;
        }
    }

    private string[] WrongRoots() =>
    [
        "42", "-1e400", "1e400", "123456789012345678901234567890", "true", "null", "[]", "[{}]",
        System.Text.Json.JsonSerializer.Serialize(Pick(Injections)), "[" + string.Join(',', Enumerable.Repeat("{}", 10_000)) + "]",
    ];

    private string DeeplyNested()
    {
        var depth = _random.Next(65, 20_000);
        return _random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"parts\":", depth)) + "1" + new string('}', depth);
    }

    /// <summary>A template whose serialized bytes have one string's content replaced by bytes that are not UTF-8.</summary>
    private byte[] InvalidUtf8()
    {
        var text = Pick(Templates)().ToJsonString();
        var quote = text.IndexOf(":\"", StringComparison.Ordinal) + 2;
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
        return [.. Utf8(text[..quote]), .. Pick(bad), .. Utf8(text[quote..])];
    }

    /// <summary>A valid template apart from one string holding an escaped lone surrogate, which is no Unicode text.</summary>
    private string LoneSurrogate()
    {
        var text = Pick(Templates)().ToJsonString();
        var quote = text.IndexOf(":\"", StringComparison.Ordinal) + 2;
        return text[..quote] + Pick(["\\uD800", "\\uDFFF", "x\\uDBFFy"]) + text[quote..];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
