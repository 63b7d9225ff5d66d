using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using Wolverine;
using Wolverine.Marten;

namespace ProductHub.Hub.Workbench.Shell;

/// <summary>
/// Runs a page's action through the same code the HTTP endpoint runs, under the same access policy, in a scope of
/// its own with a Marten session enrolled in Wolverine's outbox, as a Wolverine endpoint would have it: the messages
/// an action publishes are sent only once its events are committed, and its events name the signed-in user.
/// One per circuit, so it knows whose circuit it serves.
/// </summary>
public sealed class WorkbenchCommands(
    IServiceScopeFactory scopes, AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public Task<Outcome> RunAsync(
        string policy, string done, Func<IDocumentSession, IMartenOutbox, IServiceProvider, Task<IResult>> action) =>
        RunAsync(policy, result => Outcome.Of(result, done), action);

    /// <summary>The same, for an action whose answer says what came of it: <paramref name="outcome"/> reads the answer.</summary>
    public async Task<Outcome> RunAsync(
        string policy, Func<IResult, Outcome> outcome, Func<IDocumentSession, IMartenOutbox, IServiceProvider, Task<IResult>> action)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            return outcome(Problems.Forbidden($"Your roles do not allow this; it needs the {policy} policy."));

        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        outbox.Session!.LastModifiedBy = user.Identity?.Name;
        ((IMessageContext)outbox).UserName = user.Identity?.Name;
        return outcome(await action(outbox.Session, outbox, scope.ServiceProvider));
    }

    /// <summary>What the signed-in user may read, as the API's reads decide it (remote answers for admins only).</summary>
    public async Task<ReadScope> ReadScopeAsync() => ReadScope.Of((await authentication.GetAuthenticationStateAsync()).User);
}
