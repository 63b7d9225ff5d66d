using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductHub.Adapters.Erp.Tryton;

/// <summary>What Tryton answered with an error, or what kept it from answering: the reason a delivery failed.</summary>
public sealed class TrytonException(string message) : Exception(message);

/// <summary>
/// A session with one Tryton database over its JSON-RPC API (<c>POST {url}{database}/</c>): a login, then model calls
/// with the user's preferences as their context. Each call is a transaction of its own on Tryton's side, committed
/// when it answers. A session lives for one delivery, and its calls are cancelled with it.
/// </summary>
public sealed class TrytonRpc
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeSpan _timeout;
    private AuthenticationHeaderValue? _session;
    private JsonNode? _context;
    private readonly CancellationToken _ct;
    private int _id;

    private TrytonRpc(HttpClient http, Uri endpoint, TimeSpan timeout, CancellationToken ct) =>
        (_http, _endpoint, _timeout, _ct) = (http, endpoint, timeout, ct);

    public static async Task<TrytonRpc> LoginAsync(
        HttpClient http, string url, string database, string user, string password, TimeSpan timeout, CancellationToken ct)
    {
        var rpc = new TrytonRpc(http, new Uri(new Uri(url.EndsWith('/') ? url : url + "/"), Uri.EscapeDataString(database) + "/"), timeout, ct);
        var login = await rpc.CallAsync("common.db.login", [user, new JsonObject { ["password"] = password }]);
        if (login is not JsonArray { Count: 2 } answer)
            throw new TrytonException($"Tryton refused the login of user {user} to database {database}");
        var token = $"{user}:{answer[0]}:{answer[1]!.GetValue<string>()}";
        rpc._session = new AuthenticationHeaderValue("Session", Convert.ToBase64String(Encoding.UTF8.GetBytes(token)));
        rpc._context = await rpc.CallAsync("model.res.user.get_preferences", [true, new JsonObject()]) ?? new JsonObject();
        return rpc;
    }

    /// <summary>The records matching a domain, with these fields (and always <c>id</c>).</summary>
    public async Task<List<JsonObject>> SearchReadAsync(string model, JsonArray domain, params string[] fields)
    {
        var found = await ModelAsync(model, "search_read", [domain, 0, null, null, new JsonArray([.. fields.Select(f => JsonValue.Create(f))])]);
        return [.. (found as JsonArray ?? []).OfType<JsonObject>()];
    }

    public async Task<long> CreateAsync(string model, JsonObject values)
    {
        var ids = await ModelAsync(model, "create", [new JsonArray(values)]);
        return ids is JsonArray { Count: 1 } created ? created[0]!.GetValue<long>() : throw new TrytonException($"Tryton created no {model}");
    }

    public Task WriteAsync(string model, long id, JsonObject values) => ModelAsync(model, "write", [new JsonArray(id), values]);

    private Task<JsonNode?> ModelAsync(string model, string method, JsonArray arguments)
    {
        arguments.Add(_context!.DeepClone());
        return CallAsync($"model.{model}.{method}", arguments);
    }

    private async Task<JsonNode?> CallAsync(string method, JsonArray parameters)
    {
        var body = new JsonObject { ["id"] = ++_id, ["method"] = method, ["params"] = parameters };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = _session;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        timeout.CancelAfter(_timeout);
        string text;
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                throw new TrytonException($"Tryton refused the credentials (HTTP 401 to {method}): check the user and password");
            if (!response.IsSuccessStatusCode) throw new TrytonException($"Tryton answered {method} with {RemoteAnswer.Failure((int)response.StatusCode, text)}");
        }
        catch (OperationCanceledException) when (!_ct.IsCancellationRequested)
        {
            throw new TrytonException($"Tryton did not answer {method} within {_timeout.TotalSeconds} s");
        }
        catch (HttpRequestException e)
        {
            throw new TrytonException($"Tryton could not be reached: {e.Message}");
        }

        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new TrytonException($"Tryton answered {method} with something other than JSON: {RemoteAnswer.Clean(text)}");
        }
        if (answer?["error"] is { } error) throw new TrytonException($"Tryton refused {method}: {RemoteAnswer.Clean(Describe(error))}");
        return answer?["result"];
    }

    /// <summary>Tryton's errors are <c>[kind, [message, description]]</c> (a user error) or <c>[kind, detail]</c>.</summary>
    private static string Describe(JsonNode error) => error switch
    {
        JsonArray { Count: 2 } e when e[1] is JsonArray args => $"{e[0]}: {string.Join(" ", args.Select(a => a?.ToString()).Where(a => !string.IsNullOrEmpty(a)))}",
        JsonArray { Count: 2 } e => $"{e[0]}: {e[1]}",
        _ => error.ToJsonString(),
    };
}
