using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Faults;

/// <summary>
/// Three hub processes on one PostgreSQL, started together on a fresh database, as a deployment runs them: releases
/// come in through all of them, deliveries go to a loopback ERP and the feed to two webhook subscribers (one that
/// takes a second per push), and mid-load one node is SIGKILLed. Every delivery must reach the ERP under its own key
/// and every feed event each subscriber once, under batch keys that never overlap; the survivors finish what the
/// dead node held; and whatever one node stored, the others serve at once.
/// </summary>
// In the shared hub's collection: it needs the test cluster for its own database.
[Collection(HubCollection.Name)]
public sealed class when_a_node_of_three_is_killed(ITestOutputHelper output)
{
    private const int Nodes = 3;
    private const int Releases = 60;
    private const int KillAfter = 30;

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task every_delivery_and_feed_event_arrives_once_per_key_and_the_others_finish_what_it_held()
    {
        await using var erp = await TestErp.StartAsync();
        await using var fast = await TestErp.StartAsync();
        await using var slow = await TestErp.StartAsync();
        slow.SlowBy = TimeSpan.FromSeconds(1);
        slow.SlowNext = int.MaxValue;
        // An ERP that takes its time, so that deliveries wait on every node when one dies.
        erp.SlowBy = TimeSpan.FromSeconds(1);
        erp.SlowNext = int.MaxValue;
        var keys = Directory.CreateTempSubdirectory("producthub-keys-");
        var settings = new Dictionary<string, string>
        {
            ["ProductHub__Cluster__Nodes"] = $"{Nodes}",
            // One key ring for the cluster, as the deployment recipe says: a cookie or secret of one node is read by all.
            ["ProductHub__Secrets__KeysDirectory"] = keys.FullName,
        };
        var connectionString = await OwnDatabase.CreateAsync();
        var starting = Enumerable.Range(0, Nodes).Select(_ => HubProcess.StartAsync(connectionString, settings, readySeconds: 300)).ToList();
        try
        {
            var nodes = await Task.WhenAll(starting);
            Log($"{Nodes} nodes ready");
            var numbers = new List<int>();
            foreach (var node in nodes)
            {
                var check = (await node.Client.GetFromJsonAsync<JsonObject>("/health/ready"))!["checks"]!["node"]!["data"]!;
                check["mode"]!.GetValue<string>().ShouldBe("Balanced");
                numbers.Add(check["number"]!.GetValue<int>());
            }
            numbers.ShouldBeUnique();
            await Configure(nodes[0].Client, erp, fast, slow);
            await the_workbench_signs_in_on_one_node_and_serves_on_another(nodes);

            var cluster = new Cluster(nodes);
            var load = Task.WhenAll(Enumerable.Range(0, Nodes).Select(worker => cluster.ReleaseAsync(worker, Releases)));
            await Wait.Until(() => Task.FromResult(cluster.Accepted.Count >= KillAfter ? "" : null), "releases before the kill", seconds: 120);
            // The node that holds the most work at that moment dies.
            var envelopesAtKill = await EnvelopesByOwner(connectionString);
            var victim = Enumerable.Range(0, Nodes).MaxBy(i => envelopesAtKill.GetValueOrDefault(numbers[i]));
            cluster.Kill(victim);
            var killedAt = _clock.Elapsed;
            var survivor = nodes[(victim + 1) % Nodes].Client;
            Log($"node {victim} (Wolverine node {numbers[victim]}, holding {envelopesAtKill.GetValueOrDefault(numbers[victim])} messages) " +
                $"killed after {cluster.Accepted.Count} releases");
            var heldAtKill = (await Deliveries(survivor)).Where(d => d.Status != "acknowledged").Select(d => d.Key).ToHashSet();
            var headAtKill = (await survivor.GetFromJsonAsync<JsonObject>("/api/v1/feed/head"))!["position"]!.GetValue<long>();
            var takeover = Task.Run(() => TakeoverAsync(connectionString, numbers[victim], killedAt, survivor, heldAtKill, headAtKill, fast, slow));
            await load;
            Log($"load done: {cluster.Accepted.Count} releases accepted, {cluster.Resent} sent again after a lost answer, {cluster.Conflicts} assignments answered 409 and sent again");

            var deliveries = await Wait.Until(async () =>
            {
                var all = await Deliveries(survivor);
                return all.Count == Releases && all.All(d => d.Status == "acknowledged") ? all : null;
            }, "every delivery to be acknowledged", seconds: 180);
            // One RevisionReleased per release (PN-UI's too). The feed serves an event once no earlier one can still
            // commit, so the last may come a moment after their releases were answered.
            var expected = await Wait.Until(async () => await RevisionReleasedPositions(survivor) is { Count: Releases + 1 } all ? all : null,
                "every release in the feed", seconds: 60);
            await Wait.Until(() => Task.FromResult(Pushed(fast).Count == expected.Count && Pushed(slow).Count == expected.Count ? "" : null),
                "every feed event at both subscribers", seconds: 180);
            var (ejected, finished) = await takeover;
            Log($"all done; node {victim} was found dead {(ejected - killedAt).TotalSeconds:F1} s after the kill, " +
                $"and all it held was finished {(finished - killedAt).TotalSeconds:F1} s after it");

            var sentAgain = erp.Applied.Values.Sum(times => times - 1);
            var repushed = new[] { fast, slow }.Sum(s => s.Accepted.Count - s.Accepted.Select(r => r.IdempotencyKey).Distinct().Count());
            output.WriteLine(
                $"{Nodes} nodes, one SIGKILLed after {KillAfter} of {Releases} releases: {deliveries.Count} deliveries " +
                $"({heldAtKill.Count} unacknowledged at the kill), {erp.Applied.Count} keys at the ERP, {sentAgain} sent again under the same key; " +
                $"{expected.Count} feed events, fast subscriber {fast.Accepted.Count} pushes, slow {slow.Accepted.Count}, {repushed} sent again " +
                $"under the same key; the dead node held {envelopesAtKill.GetValueOrDefault(numbers[victim])} messages, found dead after {(ejected - killedAt).TotalSeconds:F1} s, " +
                $"all finished after {(finished - killedAt).TotalSeconds:F1} s");

            envelopesAtKill.GetValueOrDefault(numbers[victim]).ShouldBeGreaterThan(0, "the node killed held no work: nothing was taken over");
            deliveries.Select(d => d.Key).ShouldBeUnique();
            deliveries.Select(d => d.Part).ShouldBe(cluster.Accepted, ignoreOrder: true);
            erp.Applied.Keys.ShouldBe(deliveries.Select(d => d.Key), ignoreOrder: true);
            foreach (var subscriber in new[] { fast, slow })
            {
                Pushed(subscriber).ShouldBe(expected, ignoreOrder: true);
                Overlapping(subscriber).ShouldBeEmpty();
            }
            cluster.StaleReads.ShouldBeEmpty();
        }
        catch (Exception e) when (e is not ShouldAssertException)
        {
            var logs = string.Join("\n", (await Started(starting)).Select((node, i) => $"--- node {i} ---\n{node.LogTail}"));
            throw new Exception($"{e.Message}\n{logs}", e);
        }
        finally
        {
            foreach (var node in await Started(starting)) await node.DisposeAsync();
            keys.Delete(recursive: true);
        }
    }

    /// <summary>The nodes that came up, of those started.</summary>
    private static async Task<List<HubProcess>> Started(List<Task<HubProcess>> starting)
    {
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        return [.. starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result)];
    }

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s: {line}");

    private static async Task Configure(HttpClient hub, TestErp erp, TestErp fast, TestErp slow)
    {
        (await hub.PutAsJsonAsync("/api/v1/erp-instances/erp-cluster", new
        {
            channel = "http", http = new { url = erp.Url, timeoutSeconds = 5 },
            retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.5, 1 } },
        })).EnsureSuccessStatusCode();
        (await hub.PutAsJsonAsync("/api/v1/plants/P1", new { name = "Plant", erpInstance = "erp-cluster" })).EnsureSuccessStatusCode();
        foreach (var (name, subscriber) in new[] { ("fast", fast), ("slow", slow) })
        {
            (await hub.PutAsJsonAsync($"/api/v1/webhooks/{name}", new
            {
                url = subscriber.Url, eventTypes = new[] { "RevisionReleased" },
                retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.5 } },
            })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// A browser behind a load balancer meets a different node at each request: the sign-in form from one, the
    /// sign-in from the next, the page from the third, about a part stored through the first and read from the third.
    /// </summary>
    private static async Task the_workbench_signs_in_on_one_node_and_serves_on_another(HubProcess[] nodes)
    {
        var release = await nodes[0].Client.PostAsJsonAsync("/api/v1/releases",
            Package("REL-UI", "2026-01-10T08:00:00Z", Part("PN-UI", "A", "2026-01-10")));
        release.StatusCode.ShouldBe(HttpStatusCode.Created, await release.Content.ReadAsStringAsync());
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

        var form = await browser.GetStringAsync($"{nodes[0].Url}/ui/sign-in");
        var field = SignInPage.AntiforgeryField().Match(form);
        field.Success.ShouldBeTrue(form);
        var signIn = await browser.PostAsync($"{nodes[1].Url}/ui/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups["name"].Value] = field.Groups["value"].Value, ["token"] = TestTokens.Default, ["returnUrl"] = "/ui/parts?number=PN-UI",
        }));
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync());
        // A node that could not read another's cookie would send the browser back to sign in. The page's content
        // comes over its Blazor circuit, which stays on the node that serves the page (hence sticky sessions, see
        // docs/deployment.md), and reads the one database as the API does.
        var page = await browser.GetAsync($"{nodes[2].Url}{signIn.Headers.Location}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK, page.Headers.Location?.ToString());
        using var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (await stranger.GetAsync($"{nodes[2].Url}{signIn.Headers.Location}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await nodes[2].Client.GetFromJsonAsync<JsonObject>("/api/v1/parts/PN-UI"))!["partNumber"]!.GetValue<string>().ShouldBe("PN-UI");
    }

    /// <summary>
    /// When the others found the node dead (they removed its row from Wolverine's nodes), and when everything it may
    /// have held was finished: none of its messages left in the database, the deliveries unacknowledged at the kill
    /// all acknowledged, and both subscribers with every event up to the feed's head at the kill.
    /// </summary>
    private async Task<(TimeSpan Ejected, TimeSpan Finished)> TakeoverAsync(
        string connectionString, int dead, TimeSpan killedAt, HttpClient survivor, HashSet<string> held, long head, params TestErp[] subscribers)
    {
        var wanted = (await RevisionReleasedPositions(survivor)).Where(p => p <= head).ToHashSet();
        TimeSpan? ejected = null;
        while (true)
        {
            if (ejected is null && !(await WolverineNodes(connectionString)).Contains(dead)) ejected = _clock.Elapsed;
            var acknowledged = (await Deliveries(survivor)).Where(d => d.Status == "acknowledged").Select(d => d.Key).ToHashSet();
            if (ejected is { } found && !(await EnvelopesByOwner(connectionString)).ContainsKey(dead) &&
                held.IsSubsetOf(acknowledged) && subscribers.All(s => wanted.IsSubsetOf(Pushed(s))))
            {
                return (found, _clock.Elapsed);
            }
            await Task.Delay(250);
        }
    }

    private static async Task<List<int>> WolverineNodes(string connectionString) =>
        (await Query(connectionString, "select node_number from producthub.wolverine_nodes")).Select(r => r.Item1).ToList();

    /// <summary>The stored inbox and outbox messages each node has claimed (owner 0: claimed by none yet).</summary>
    private static async Task<Dictionary<int, int>> EnvelopesByOwner(string connectionString) =>
        (await Query(connectionString, """
            select owner_id, count(*)::int from (
              select owner_id from producthub.wolverine_incoming_envelopes where status = 'Incoming'
              union all select owner_id from producthub.wolverine_outgoing_envelopes) claimed
            where owner_id <> 0 group by owner_id
            """)).ToDictionary(r => r.Item1, r => r.Item2);

    private static async Task<List<(int, int)>> Query(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.FieldCount > 1 ? reader.GetInt32(1) : 0));
        return rows;
    }

    private sealed record DeliveryRow(string Key, string Part, string Status);

    private static async Task<List<DeliveryRow>> Deliveries(HttpClient hub) =>
        (await hub.GetFromJsonAsync<JsonObject>("/api/v1/deliveries?instance=erp-cluster&pageSize=500"))!["items"]!.AsArray()
        .Select(d => new DeliveryRow(d!["idempotencyKey"]!.GetValue<string>(), d["partNumber"]!.GetValue<string>(), d["status"]!.GetValue<string>()))
        .ToList();

    /// <summary>The feed's RevisionReleased positions, read from the hub's own feed.</summary>
    private static async Task<List<long>> RevisionReleasedPositions(HttpClient hub)
    {
        var positions = new List<long>();
        for (long after = 0; ;)
        {
            var page = (await hub.GetFromJsonAsync<JsonObject>($"/api/v1/feed?after={after}&limit=500"))!;
            var events = page["events"]!.AsArray();
            positions.AddRange(events.Where(e => e!["type"]!.GetValue<string>() == "RevisionReleased").Select(e => e!["position"]!.GetValue<long>()));
            var next = page["next"]!.GetValue<long>();
            if (events.Count == 0 || next == after) return positions;
            after = next;
        }
    }

    /// <summary>The positions a subscriber took, once for each batch key however often that batch came.</summary>
    private static List<long> Pushed(TestErp subscriber) => subscriber.Accepted.DistinctBy(r => r.IdempotencyKey)
        .SelectMany(r => r.Body["events"]!.AsArray().Select(e => e!["position"]!.GetValue<long>())).ToList();

    /// <summary>Pairs of different batch keys whose position ranges overlap: a subscriber could not drop the repeat.</summary>
    private static List<string> Overlapping(TestErp subscriber)
    {
        var ranges = subscriber.Accepted.Select(r => r.IdempotencyKey).Distinct()
            .Select(k => (Key: k, Range: k[(k.IndexOf(':') + 1)..].Split('-').Select(long.Parse).ToArray())).OrderBy(r => r.Range[0]).ToList();
        return ranges.Zip(ranges.Skip(1)).Where(p => p.Second.Range[0] <= p.First.Range[1]).Select(p => $"{p.First.Key} and {p.Second.Key}").ToList();
    }

    /// <summary>
    /// The load: one worker per node, each releasing a part and assigning it to the plant, then reading it through
    /// the next node at once. A worker whose node died goes to the next live one and sends again what lost its
    /// answer, as a client behind a load balancer would (release and assignment are idempotent).
    /// </summary>
    private sealed class Cluster(HubProcess[] nodes)
    {
        private readonly bool[] _dead = new bool[nodes.Length];
        private int _next;
        private int _resent;
        private int _conflicts;

        public List<string> Accepted { get; } = [];

        public List<string> StaleReads { get; } = [];

        public int Resent => _resent;

        public int Conflicts => _conflicts;

        public void Kill(int node)
        {
            _dead[node] = true;
            nodes[node].Kill();
        }

        public async Task ReleaseAsync(int worker, int total)
        {
            var node = worker;
            while (Interlocked.Increment(ref _next) is var n && n <= total)
            {
                var part = $"PN-C{n:D4}";
                while (true)
                {
                    if (_dead[node]) node = Live(node);
                    try
                    {
                        await ReleaseAndAssign(nodes[node].Client, part);
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && _dead[node])
                    {
                        Interlocked.Increment(ref _resent);
                    }
                }
                lock (Accepted) Accepted.Add(part);
                var reader = Live(node);
                try
                {
                    if (!(await nodes[reader].Client.GetAsync($"/api/v1/parts/{part}")).IsSuccessStatusCode)
                        lock (StaleReads) StaleReads.Add($"{part} at node {reader}");
                }
                catch (HttpRequestException) when (_dead[reader])
                {
                    // The reader died meanwhile; the next part is read through another.
                }
            }
        }

        /// <summary>The next live node after this one.</summary>
        private int Live(int node)
        {
            do node = (node + 1) % nodes.Length;
            while (_dead[node]);
            return node;
        }

        /// <summary>Assignments to one plant from several nodes at once: the one that lost the race gets 409 and tries again, as its problem says.</summary>
        private async Task ReleaseAndAssign(HttpClient client, string part)
        {
            var release = await client.PostAsJsonAsync("/api/v1/releases",
                Package($"REL-{part}", "2026-01-10T08:00:00Z", Part(part, "A", "2026-01-10")));
            release.StatusCode.ShouldBe(HttpStatusCode.Created, await release.Content.ReadAsStringAsync());
            while (true)
            {
                var assign = await client.PutAsync($"/api/v1/plants/P1/parts/{part}", null);
                if (assign.StatusCode != HttpStatusCode.Conflict)
                {
                    assign.IsSuccessStatusCode.ShouldBeTrue(await assign.Content.ReadAsStringAsync());
                    return;
                }
                Interlocked.Increment(ref _conflicts);
            }
        }
    }
}
