using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ProductHub.Hub.Security;

/// <summary>
/// The workbench (<c>/ui</c>) is used from a browser, which cannot attach a bearer header to every page: one signs
/// in once with the same token the API takes, and a cookie carries its claims (and expiry) from then on.
/// </summary>
public static class WorkbenchSignIn
{
    public const string Scheme = "workbench";
    public const string Root = "/ui";
    public const string Path = Root + "/sign-in";

    /// <summary>The workbench's pages, and the Blazor circuit and script they run on.</summary>
    public static bool IsBrowserPath(PathString path) =>
        path.StartsWithSegments(Root) || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework");

    public static AuthenticationBuilder AddWorkbenchCookie(this AuthenticationBuilder builder) =>
        builder.AddCookie(Scheme, options =>
        {
            options.LoginPath = Path;
            options.AccessDeniedPath = Path;
            options.Cookie.Name = "producthub.workbench";
            options.Cookie.HttpOnly = true;
            // Strict: no other site can make the browser send it along, so a cross-site form cannot act as the user.
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.SlidingExpiration = false;
        });

    public static void MapWorkbenchSignIn(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Form(context, antiforgery, returnUrl, error: null)).AllowAnonymous().ExcludeFromDescription();

        app.MapPost(Path, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return Form(context, antiforgery, null, "The form had expired; sign in again.");
            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            // The token goes through the very schemes an API call's bearer header does: the same keys, algorithms,
            // identity provider and claim mapping, and the same refusal of a token that names nobody.
            var token = form["token"].ToString().Trim();
            context.Request.Headers.Authorization = "Bearer " + token;
            var validation = await context.AuthenticateAsync(Authentication.Scheme);
            if (!validation.Succeeded)
                return Form(context, antiforgery, returnUrl, "That token is not valid here: expired, or not signed by this hub or its identity provider.");

            var identity = new ClaimsIdentity(validation.Principal.Claims, Scheme, HubClaims.Subject, HubClaims.Role);
            await context.SignInAsync(Scheme, new ClaimsPrincipal(identity),
                new AuthenticationProperties { ExpiresUtc = new JsonWebToken(token).ValidTo });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : Root);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost(Root + "/sign-out", async (HttpContext context) =>
        {
            await context.SignOutAsync(Scheme);
            return Results.LocalRedirect(Path);
        }).ExcludeFromDescription();
    }

    /// <summary>
    /// A path of this hub. A control character anywhere is refused too: browsers drop tabs and line breaks, so
    /// <c>/\t/evil.example</c> would go to another site (and LocalRedirect throws on it rather than redirect).
    /// </summary>
    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl);

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var message = error is null ? "" : $"""<p role="alert" class="error">{WebUtility.HtmlEncode(error)}</p>""";
        return Results.Content($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · ProductHub workbench</title>
            <style>
              body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1d2430; }
              textarea { width: 100%; font: 13px monospace; } button { font: inherit; padding: .4rem 1.2rem; margin-top: .5rem; }
              .error { color: #a4161a; font-weight: 600; } :focus-visible { outline: 3px solid #1c64f2; outline-offset: 2px; }
            </style></head>
            <body><main>
              <h1>ProductHub workbench</h1>
              {{message}}
              <form method="post" action="{{Path}}">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{tokens.RequestToken}}">
                <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? Root)}}">
                <label for="token">Bearer token</label>
                <textarea id="token" name="token" rows="6" required autofocus></textarea>
                <button type="submit">Sign in</button>
              </form>
              <p>The same token the API takes. For a development hub: <code>scripts/dev-token.sh --role admin</code>.</p>
            </main></body></html>
            """, "text/html; charset=utf-8", statusCode: error is null ? 200 : 400);
    }
}
