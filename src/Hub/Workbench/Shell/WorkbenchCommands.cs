using Marten;
using Wolverine.Marten;

namespace ProductHub.Hub.Workbench.Shell;

/// <summary>
/// Runs a page's action through the same code the HTTP endpoint runs, in a scope of its own with a Marten session
/// enrolled in Wolverine's outbox, as a Wolverine endpoint would have it: the messages an action publishes are sent
/// only once its events are committed.
/// </summary>
public sealed class WorkbenchCommands(IServiceScopeFactory scopes)
{
    public async Task<Outcome> RunAsync(string done, Func<IDocumentSession, IMartenOutbox, IServiceProvider, Task<IResult>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        return Outcome.Of(await action(outbox.Session!, outbox, scope.ServiceProvider), done);
    }
}
