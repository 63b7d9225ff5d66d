using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Hub.Infrastructure;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Faults;

/// <summary>
/// The rounds of the background workers every node runs (drop-folder and ack-folder scans): one node at a time takes
/// a round, the others skip it, and a node that dies mid-round lets the next one in. Each connection stands for a node:
/// PostgreSQL's session locks do not tell processes apart from connections.
/// </summary>
public sealed class when_two_nodes_want_the_same_round(HubFixture fixture) : HubScenario(fixture)
{
    private const int LockClass = 0x54455354;

    private IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    private Task<bool> Round(string name, Func<Task>? work = null) =>
        AdvisoryLock.OnOneNodeAsync(Store, LockClass, name, work ?? (() => Task.CompletedTask), CancellationToken.None);

    [Fact]
    public async Task one_takes_it_the_other_skips_it_until_it_is_done()
    {
        var (inside, done) = (new TaskCompletionSource(), new TaskCompletionSource());
        var first = Round("folder", async () => { inside.SetResult(); await done.Task; });
        await inside.Task;

        (await Round("folder")).ShouldBeFalse();
        (await Round("another folder")).ShouldBeTrue();
        done.SetResult();
        (await first).ShouldBeTrue();
        (await Round("folder")).ShouldBeTrue();
    }

    [Fact]
    public async Task a_node_that_dies_mid_round_lets_the_next_take_it()
    {
        var inside = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var dying = Round("folder", async () => { inside.SetResult(); await Task.Delay(Timeout.Infinite, stop.Token); });
        await inside.Task;
        (await Round("folder")).ShouldBeFalse();

        // What PostgreSQL does when a node's process is killed: its session ends, and its locks with it. The timeout
        // makes the call wait until the session has ended, not only until it was told to.
        await using (var admin = Store.Storage.Database.CreateConnection())
        {
            await admin.OpenAsync();
            await new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND classid = {LockClass}", admin)
                .ExecuteNonQueryAsync();
        }

        (await Round("folder")).ShouldBeTrue();
        dying.IsCompleted.ShouldBeFalse();
        await stop.CancelAsync();
        await Should.ThrowAsync<Exception>(dying);
    }
}
