using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Security;

/// <summary>
/// The 401/403 matrix over every endpoint the hub maps, read from its endpoint data source, so an endpoint added
/// later is in it without anyone remembering to add it.
/// </summary>
public sealed class when_calling_without_the_right_role(HubFixture fixture) : HubScenario(fixture)
{
    private static readonly string[] Anonymous = ["/favicon.ico", "/health/live", "/health/ready", "/ui/sign-in"];

    private sealed record Caller(string Name, string Token);

    private static readonly Caller Plm = new("plm", TestTokens.For("pat", [Roles.Plm]));
    private static readonly Caller ErpOfP100 = new("erp of P100", TestTokens.For("erp-p100", [Roles.Erp], "P100"));
    private static readonly Caller ErpOfP200 = new("erp of P200", TestTokens.For("erp-p200", [Roles.Erp], "P200"));
    private static readonly Caller Auditor = new("auditor", TestTokens.For("audrey", [Roles.Auditor]));
    private static readonly Caller Admin = new("admin", TestTokens.For("ada", [Roles.Admin]));
    private static readonly Caller[] WithRoles = [Plm, ErpOfP100, ErpOfP200, Auditor, Admin];

    /// <summary>What each policy means, from the issue: the specification the matrix checks every endpoint against.</summary>
    private static bool Allowed(EndpointCall call, Caller caller) => call.Policy switch
    {
        Access.Read => caller != ErpOfP200 || !call.Route.Contains("{plantCode}"),
        Access.Engineering => caller == Plm,
        Access.Administration => caller == Admin,
        Access.Operations => caller != ErpOfP100 && caller != ErpOfP200,
        Access.PlantFeedback => caller == Admin || caller == ErpOfP100 || (caller == ErpOfP200 && !call.Route.Contains("{plantCode}")),
        null => true,
        _ => throw new InvalidOperationException($"{call} names a policy the matrix does not know: {call.Policy}"),
    };

    private List<EndpointCall> Calls() => EndpointCall.Of(Host);

    [Fact]
    public void every_api_endpoint_names_its_policy_and_only_the_probes_the_sign_in_and_the_icon_are_anonymous()
    {
        var calls = Calls();
        calls.Count.ShouldBeGreaterThan(45);
        calls.Where(c => c.Route.StartsWith("/api/", StringComparison.Ordinal) && c.Policy is null).ShouldBeEmpty();
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            // The browser's copy of Blazor's own script is public, like any web page's script.
            .Where(r => !(r.StartsWith("/_framework/blazor.", StringComparison.Ordinal) && (r.EndsWith(".js") || r.EndsWith(".js.gz"))))
            .Distinct().Order()
            .ShouldBe(Anonymous);
    }

    [Fact]
    public async Task no_token_is_401_a_role_outside_the_policy_is_403_and_neither_changes_anything()
    {
        var calls = Calls();
        var eventsBefore = await EventCount();

        foreach (var call in calls)
        {
            var none = await Api.As("").Send(call.Method, call.Url, new { });
            if (new Microsoft.AspNetCore.Http.PathString(call.Url).StartsWithSegments("/ui"))
            {
                // A browser without the workbench cookie is sent to sign in.
                none.Status.ShouldBe(302, $"{call} without a cookie");
                new Uri(new Uri("http://hub"), none.Location).AbsolutePath.ShouldBe("/ui/sign-in");
            }
            else if (WorkbenchSignIn.IsBrowserPath(call.Url))
            {
                // The circuit's plumbing: refused (SignalR answers 401 itself) or sent to sign in, never served.
                none.Status.ShouldBeOneOf([302, 401], $"{call} without a cookie");
            }
            else
            {
                none.Status.ShouldBe(401, $"{call} without a token: {none}");
                none.Json["type"]!.GetValue<string>().ShouldBe("https://producthub.dev/problems/unauthenticated");
            }
            (await Api.As("not.a.token").Send(call.Method, call.Url, new { })).Status.ShouldBe(401, $"{call} with a bad token");
            (await Api.As(TestTokens.For("nobody", [])).Send(call.Method, call.Url, new { })).Status.ShouldBe(403, $"{call} with no role");
            foreach (var caller in WithRoles.Where(c => !Allowed(call, c)))
            {
                var denied = await Api.As(caller.Token).Send(call.Method, call.Url, new { });
                denied.Status.ShouldBe(403, $"{call} as {caller.Name}: {denied}");
                denied.Json["type"]!.GetValue<string>().ShouldBe("https://producthub.dev/problems/forbidden");
            }
        }

        (await EventCount()).ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task a_role_inside_the_policy_gets_past_authorization()
    {
        foreach (var call in Calls())
        {
            foreach (var caller in WithRoles.Where(c => Allowed(call, c)))
            {
                var answer = await Api.As(caller.Token).Send(call.Method, call.Url, new { });
                answer.Status.ShouldNotBeOneOf([401, 403], $"{call} as {caller.Name}: {answer}");
            }
        }
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_refused()
    {
        var foreign = AccessTokens.Issue(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[48]), "mallory", [Roles.Admin]);

        var answer = await Api.As(foreign).Get("/api/v1/plants");

        answer.Status.ShouldBe(401);
        answer.Json["detail"]!.GetValue<string>().ShouldContain("not valid");
    }

    [Fact]
    public async Task a_token_under_the_hubs_key_with_another_algorithm_or_naming_nobody_is_refused()
    {
        var claims = new Dictionary<string, object> { [HubClaims.Subject] = "mallory", [HubClaims.Role] = new[] { Roles.Admin } };
        var eventsBefore = await EventCount();

        var hs384 = await Api.As(TestTokens.Signed(claims, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha384)).Get("/api/v1/plants");
        var hs512 = await Api.As(TestTokens.Signed(claims, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha512)).Get("/api/v1/plants");
        var nobody = await Api.As(TestTokens.Signed(new() { [HubClaims.Role] = new[] { Roles.Admin } }))
            .Send("PUT", "/api/v1/units/NOBODY", new { dimension = "count", factor = 3 });
        var blank = await Api.As(TestTokens.Signed(new() { [HubClaims.Subject] = " ", [HubClaims.Role] = new[] { Roles.Admin } })).Get("/api/v1/plants");

        hs384.Status.ShouldBe(401);
        hs512.Status.ShouldBe(401);
        nobody.Status.ShouldBe(401, nobody.ToString());
        blank.Status.ShouldBe(401);
        (await Api.As(TestTokens.Signed(claims)).Get("/api/v1/plants")).Status.ShouldBe(200);
        (await EventCount()).ShouldBe(eventsBefore);
    }

    private async Task<long> EventCount()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
