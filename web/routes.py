"""The node's URL map: every route in one place (the handlers' modules register none)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from web.handlers import (
    account_settings,
    actors,
    admin_pages,
    api,
    audit_log,
    browse,
    compose,
    discussion,
    email_settings,
    feeds,
    following,
    held_replies,
    inbox,
    interaction,
    join,
    language,
    moderation,
    notification_settings,
    notifications,
    objects,
    open_data,
    organisation_joining,
    organisation_membership,
    organisations_admin,
    own_comments,
    pages,
    password_reset,
    phases,
    privacy_settings,
    profile_settings,
    questions,
    report,
    response_analysis,
    search,
    server_policy,
    setup,
    sign_in,
    statements,
    timeline,
    token_settings,
    wellknown,
)
from web.ratelimit import RateLimit
from web.sign_in_limits import SIGN_IN_LIMITS, SignInLimits

STATIC_DIR = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    """Mount every route of a node, and the rate limits its sign-in and sign-up forms share."""
    app[SIGN_IN_LIMITS] = SignInLimits()
    app[join.JOIN_LIMIT] = RateLimit(
        limit=10, window=3600, name="join"
    )  # accounts per address per hour
    app[interaction.VISITOR_LOOKUPS] = RateLimit(
        limit=30, window=600, name="visitor_lookup"
    )  # per address
    # "forgot your password?": per typed address, and per client address; links per member
    app[password_reset.RESETS_BY_ADDRESS] = RateLimit(limit=3, window=3600, name="reset_address")
    app[password_reset.RESETS_BY_CLIENT] = RateLimit(limit=10, window=3600, name="reset_client")
    app[email_settings.VERIFICATIONS_BY_MEMBER] = RateLimit(
        limit=5, window=3600, name="email_verification"
    )
    router = app.router
    _federation(router)
    _discovery_and_actors(router)
    _accounts(router)
    _member_pages(router)
    _response_analysis(router)
    _admin_pages(router)
    router.add_static("/static/", STATIC_DIR, name="static")


def setup_first_run_routes(app: web.Application) -> None:
    """Mount the first-run setup page: the form, a health check, and a redirect for the rest."""
    app.router.add_get("/", setup.setup_form)
    app.router.add_post("/", setup.submit_setup)
    app.router.add_get("/healthz", setup.setup_health)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_route("*", "/{tail:.*}", setup.redirect_to_setup)


def _federation(router: web.UrlDispatcher) -> None:
    # The inboxes take signed POSTs from other servers; the pipeline is wired at start-up.
    router.add_post("/inbox", inbox.post_inbox, name="shared_inbox")
    router.add_post("/actors/{handle}/inbox", inbox.post_inbox, name="actor_inbox")


def _discovery_and_actors(router: web.UrlDispatcher) -> None:
    router.add_get("/", pages.home, name="home")
    router.add_get("/healthz", pages.healthz, name="healthz")
    router.add_get("/.well-known/webfinger", wellknown.webfinger, name="webfinger")
    router.add_get("/.well-known/host-meta", wellknown.host_meta, name="host_meta")
    router.add_get("/.well-known/nodeinfo", wellknown.nodeinfo_links, name="nodeinfo_links")
    router.add_get("/nodeinfo/2.1", wellknown.nodeinfo, name="nodeinfo")
    router.add_get("/actors/{handle}", actors.actor, name="actor")
    router.add_post("/actors/{handle}/join", organisation_membership.submit_join)
    router.add_post("/actors/{handle}/leave", organisation_membership.submit_leave)
    router.add_post("/actors/{handle}/ask", organisation_membership.submit_ask)
    router.add_post("/actors/{handle}/withdraw", organisation_membership.submit_withdraw)
    router.add_get("/actors/{handle}/inbox", api.get_inbox, name="actor_inbox_get")
    router.add_post("/actors/{handle}/outbox", api.post_outbox, name="actor_outbox_post")
    router.add_get("/actors/{handle}/timeline", timeline.get_timeline, name="actor_timeline")
    router.add_get(
        "/actors/{handle}/{collection:outbox|followers|following}",
        objects.actor_collection,
        name="actor_collection",
    )
    router.add_post("/proxy", api.proxy, name="proxy")
    # taking part from your own account: our interaction template, and a visitor's way out
    router.add_get(
        "/authorize_interaction", interaction.authorize_interaction, name="authorize_interaction"
    )
    router.add_post("/authorize_interaction", interaction.submit_authorize_interaction)
    router.add_post(
        "/objects/{key}/from-your-account",
        interaction.submit_from_your_account,
        name="from_your_account",
    )
    router.add_get("/objects/{key}", objects.local_object, name="object")
    router.add_get(
        "/objects/{key}/{collection:likes|shares|replies|history}",
        objects.object_collection,
        name="object_collection",
    )
    router.add_get(
        "/objects/{key}/endorsements", objects.object_endorsements, name="object_endorsements"
    )
    router.add_get("/objects/{key}/results", objects.poll_results, name="poll_results")
    router.add_get("/activities/{key}", objects.local_activity, name="activity")
    router.add_get("/contexts/{key}", objects.thread_context, name="context")


def _accounts(router: web.UrlDispatcher) -> None:
    router.add_get("/sign-in", sign_in.sign_in_form, name="sign_in")
    router.add_post("/sign-in", sign_in.submit_sign_in)
    router.add_post("/sign-out", sign_in.submit_sign_out, name="sign_out")
    router.add_get("/reset/{code}", password_reset.reset_form, name="password_reset")
    router.add_post("/reset/{code}", password_reset.submit_reset)
    router.add_get("/forgot-password", password_reset.forgot_form, name="forgot_password")
    router.add_post("/forgot-password", password_reset.submit_forgot)
    router.add_get("/email/verify/{code}", email_settings.verify_page, name="verify_email")
    router.add_post("/email/verify/{code}", email_settings.submit_verify)
    router.add_get("/join", join.join_form, name="join")
    router.add_post("/join", join.submit_join)
    router.add_get("/join/{code}", join.join_form)
    router.add_post("/join/{code}", join.submit_join)
    router.add_get("/proposals", browse.proposal_list, name="proposals")
    router.add_get(r"/proposals/{id:\d+}/report", report.report_page, name="consultation_report")
    router.add_get(
        r"/proposals/{id:\d+}/report/{figure:[a-z0-9-]{1,40}}.csv",
        report.report_figure_csv,
        name="consultation_report_csv",
    )
    router.add_get("/search", search.search_page, name="search")
    router.add_post("/search/lookup", search.submit_lookup, name="search_lookup")
    router.add_get("/objects/{key}/versions", browse.compare_versions, name="versions")
    _feeds(router)
    _open_data(router)


def _open_data(router: web.UrlDispatcher) -> None:
    # open data (web/handlers/open_data.py; docs/open-data.md describes every file)
    tables = "{file:[a-z-]{1,40}}.{format:[a-z0-9]{1,10}}"
    router.add_get("/data", open_data.data_page, name="open_data")
    router.add_get("/data/datapackage.json", open_data.organisation_package)
    router.add_get("/data/schemas/{file:[a-z-]{1,40}}.json", open_data.table_schema)
    router.add_get("/data/" + tables, open_data.organisation_file)
    proposal = r"/proposals/{id:\d+}"
    router.add_get(proposal + "/data/datapackage.json", open_data.proposal_package)
    router.add_get(proposal + "/data/" + tables, open_data.proposal_file)
    router.add_get(proposal + "/polis/{file:[a-z-]{1,40}}.csv", open_data.polis_csv)
    router.add_get(proposal + "/thread.jsonld", open_data.thread_jsonld)


def _feeds(router: web.UrlDispatcher) -> None:
    # Atom and RSS of what visitors may read (web/handlers/feeds.py)
    formats = "{format:atom|rss}"
    router.add_get(f"/feeds/{{feed:proposals|open|decisions}}.{formats}", feeds.list_feed)
    router.add_get(f"/tags/{{tag}}/feed.{formats}", feeds.tag_feed, name="tag_feed")
    router.add_get(f"/objects/{{key}}/comments.{formats}", feeds.comments_feed)


def _member_pages(router: web.UrlDispatcher) -> None:
    router.add_get("/proposals/new", compose.new_form, name="new_proposal")
    router.add_post("/proposals/new", compose.submit_new)
    router.add_get("/objects/{key}/edit", compose.edit_form, name="edit_proposal")
    router.add_post("/objects/{key}/edit", compose.submit_edit)
    router.add_post("/objects/{key}/comments", discussion.submit_comment)
    router.add_get("/objects/{key}/reply", discussion.reply_form)
    # a member's own comments: edit, delete; anyone's comment's earlier versions
    router.add_get("/objects/{key}/edit-comment", own_comments.edit_form, name="edit_comment")
    router.add_post("/objects/{key}/edit-comment", own_comments.submit_edit)
    router.add_get("/objects/{key}/delete", own_comments.delete_form, name="delete_comment")
    router.add_post("/objects/{key}/delete", own_comments.submit_delete)
    router.add_get("/objects/{key}/revisions", own_comments.history_page, name="revisions")
    router.add_post("/objects/{key}/endorse", discussion.submit_endorsement)
    router.add_get("/objects/{key}/amend", discussion.amend_form)
    router.add_post("/objects/{key}/amendments", discussion.submit_amendment)
    router.add_get("/amendments/{id:\\d+}/answer", discussion.answer_form)
    router.add_post("/amendments/{id:\\d+}/answer", discussion.submit_answer)
    router.add_get("/objects/{key}/questions/new", questions.question_form, name="new_question")
    router.add_post("/objects/{key}/questions/new", questions.submit_question)
    router.add_post("/objects/{key}/vote", questions.submit_answer)
    router.add_post("/objects/{key}/statements", statements.submit_statement)
    router.add_post("/objects/{key}/statements-setting", statements.submit_setting)
    router.add_post(r"/statements/{id:\d+}/vote", statements.submit_vote)
    router.add_get("/objects/{key}/decision", phases.decision_page, name="decision")
    router.add_post("/objects/{key}/decision", phases.submit_decision)
    router.add_get("/objects/{key}/reopen", phases.reopen_page, name="reopen")
    router.add_post("/objects/{key}/reopen", phases.submit_reopen)
    router.add_get("/follow", following.follow_form, name="follow")
    router.add_post("/follow", following.submit_follow)
    router.add_post("/unfollow", following.submit_unfollow)
    router.add_get("/timeline", following.timeline_page, name="timeline")
    router.add_get("/notifications", notifications.notifications_page, name="notifications")
    router.add_post("/notifications/seen", notifications.submit_seen)
    router.add_get("/settings/profile", profile_settings.profile_form, name="profile_settings")
    router.add_post("/settings/profile", profile_settings.submit_profile)
    router.add_get("/settings/privacy", privacy_settings.privacy_form, name="privacy_settings")
    router.add_post("/settings/privacy", privacy_settings.submit_privacy)
    router.add_get("/settings/email", email_settings.email_form, name="email_settings")
    router.add_post("/settings/email", email_settings.submit_email)
    router.add_get("/settings/password", profile_settings.password_form, name="password_settings")
    router.add_post("/settings/password", profile_settings.submit_password)
    router.add_get("/settings/tokens", token_settings.tokens_page, name="token_settings")
    router.add_get("/settings/language", language.language_form, name="language_settings")
    # the language switcher for visitors: sets a cookie and goes back (writes nothing here)
    router.add_get(
        "/language/{language:[a-z]{2,3}}", language.switch_language, name="switch_language"
    )
    router.add_post("/settings/language", language.submit_language)
    router.add_get("/settings/account", account_settings.account_page, name="account_settings")
    router.add_get("/settings/account/data.zip", account_settings.download_data, name="own_data")
    router.add_get("/settings/account/delete", account_settings.delete_form, name="delete_account")
    router.add_post("/settings/account/delete", account_settings.submit_delete)
    router.add_post(r"/settings/tokens/{id:\d{1,18}}/revoke", token_settings.submit_revoke)
    router.add_get(
        "/settings/notifications",
        notification_settings.notification_settings_page,
        name="notification_settings",
    )
    router.add_post("/settings/notifications", notification_settings.submit_notification_settings)
    # the one-click unsubscribe of every notification email (RFC 8058): GET asks, POST stops
    unsubscribe = "/mail/unsubscribe/{token:[^/]{1,200}}"
    router.add_get(unsubscribe, notification_settings.unsubscribe_page, name="mail_unsubscribe")
    router.add_post(
        unsubscribe, notification_settings.submit_unsubscribe, name="mail_unsubscribe_post"
    )


def _response_analysis(router: web.UrlDispatcher) -> None:
    # the proposal's author and the moderators: themes, tags and quotes, private to them
    router.add_get("/objects/{key}/responses", response_analysis.responses_page, name="responses")
    router.add_post("/objects/{key}/themes", response_analysis.submit_add_theme)
    router.add_post(r"/objects/{key}/themes/{id:\d+}/rename", response_analysis.submit_rename_theme)
    router.add_post(r"/objects/{key}/themes/{id:\d+}/remove", response_analysis.submit_remove_theme)
    router.add_post(r"/objects/{key}/responses/{id:\d+}/themes", response_analysis.submit_tag)
    router.add_post(r"/objects/{key}/responses/{id:\d+}/quote", response_analysis.submit_quote)


def _admin_pages(router: web.UrlDispatcher) -> None:
    router.add_post("/objects/{key}/hide", moderation.submit_hide)
    router.add_post("/objects/{key}/unhide", moderation.submit_unhide)
    router.add_post("/objects/{key}/remove", moderation.submit_remove)
    router.add_get("/objects/{key}/report", moderation.report_form)
    router.add_post("/objects/{key}/report", moderation.submit_report)
    # a proposal of another node (or a comment in its thread) held here: web/remote_links.py
    remote = "/remote/objects/{id}"
    router.add_get(remote, objects.remote_object, name="remote_object")
    router.add_post(remote + "/comments", discussion.submit_comment)
    router.add_get(remote + "/reply", discussion.reply_form)
    router.add_get(remote + "/revisions", own_comments.history_page)
    router.add_post(remote + "/endorse", discussion.submit_endorsement)
    router.add_get(remote + "/amend", discussion.amend_form)
    router.add_post(remote + "/amendments", discussion.submit_amendment)
    router.add_post(remote + "/vote", questions.submit_answer)
    router.add_post(remote + "/statements", statements.submit_statement)
    router.add_get(remote + "/report", moderation.report_form)
    router.add_post(remote + "/report", moderation.submit_report)
    router.add_post(remote + "/hide", moderation.submit_hide)
    router.add_post(remote + "/unhide", moderation.submit_unhide)
    router.add_post(remote + "/remove", moderation.submit_remove)
    router.add_post(remote + "/approve", held_replies.submit_approve)
    router.add_post("/objects/{key}/reply-rule", held_replies.submit_reply_rule)
    router.add_get("/admin", admin_pages.dashboard, name="admin")
    router.add_get("/admin/members", admin_pages.members_page)
    router.add_post("/admin/members/{handle}", admin_pages.submit_member)
    router.add_post("/admin/members/{handle}/reset", admin_pages.submit_password_reset)
    router.add_post("/admin/mail-test", admin_pages.submit_test_mail)
    router.add_get("/admin/invites", admin_pages.invites_page)
    router.add_post("/admin/invites", admin_pages.submit_invite)
    router.add_post("/admin/invites/{id:\\d+}/revoke", admin_pages.submit_revoke_invite)
    router.add_get("/admin/settings", admin_pages.settings_page)
    router.add_post("/admin/settings", admin_pages.submit_settings)
    router.add_get("/admin/blocks", server_policy.blocks_page)
    router.add_post("/admin/blocks", server_policy.submit_block)
    router.add_get("/admin/blocks/{id:\\d+}", server_policy.block_page)
    router.add_post("/admin/blocks/{id:\\d+}", server_policy.submit_block_change)
    router.add_post("/admin/blocks/{id:\\d+}/remove", server_policy.submit_unblock)
    router.add_post("/admin/blocks/import", server_policy.submit_import)
    router.add_get("/admin/blocks.csv", server_policy.export_csv)
    router.add_get("/admin/federation", server_policy.federation_page)
    router.add_get("/about/servers", server_policy.public_servers, name="moderated_servers")
    router.add_post("/admin/federation", server_policy.submit_federation_mode)
    router.add_post("/admin/federation/allowed", server_policy.submit_allowed)
    router.add_post("/admin/federation/allowed/{id:\\d+}/remove", server_policy.submit_disallowed)
    router.add_get("/admin/reports", admin_pages.reports_page)
    router.add_post("/admin/reports/{id:\\d+}/resolve", admin_pages.submit_resolve)
    router.add_get("/admin/delivery", admin_pages.delivery_page)
    router.add_get("/admin/held", held_replies.held_page)
    router.add_post(r"/admin/statements/{id:\d+}/approve", statements.submit_approve)
    router.add_post(r"/admin/statements/{id:\d+}/reject", statements.submit_reject)
    router.add_get("/admin/audit", audit_log.audit_page)
    router.add_get("/admin/audit.csv", audit_log.audit_csv)
    # the organisations an umbrella node hosts (the node's admins; each one's page, its own too)
    organisations = "/admin/organisations"
    router.add_get(organisations, organisations_admin.organisations_page)
    router.add_post(organisations, organisations_admin.submit_organisation)
    router.add_get(organisations + "/{handle}", organisations_admin.organisation_page)
    router.add_post(organisations + "/{handle}/suspend", organisations_admin.submit_suspend)
    router.add_post(organisations + "/{handle}/unsuspend", organisations_admin.submit_unsuspend)
    router.add_post(organisations + "/{handle}/members/role", organisations_admin.submit_role)
    router.add_post(organisations + "/{handle}/profile", organisations_admin.submit_profile)
    router.add_post(organisations + "/{handle}/settings", organisations_admin.submit_settings)
    router.add_post(organisations + "/{handle}/members", organisations_admin.submit_member)
    router.add_post(
        organisations + "/{handle}/members/remove", organisations_admin.submit_remove_member
    )
    # who joins it: members' requests answered, invitations to it made and withdrawn
    joining = organisation_joining
    router.add_post(organisations + "/{handle}/requests/approve", joining.submit_approve)
    router.add_post(organisations + "/{handle}/requests/decline", joining.submit_decline)
    router.add_post(organisations + "/{handle}/invites", joining.submit_invite)
    router.add_post(
        organisations + "/{handle}/invites/{id:\\d+}/withdraw", joining.submit_withdraw_invite
    )
