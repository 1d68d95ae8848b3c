"""Staff pages for writing portal pages and publishing resources."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from village.orgs.permissions import staff_required
from village.portal import selectors, services
from village.portal.forms import (
    ModuleStepForm,
    PageForm,
    ResourceFileForm,
    ResourceForm,
    StaffProfileForm,
)
from village.portal.models import FACETS, Page, StaffProfile


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(
        request,
        "portal/staff/index.html",
        {
            "pages": selectors.pages_for_staff(person=person),
            "resources": selectors.resources_for_staff(person=person)[:200],
        },
    )


def _page_form(request: HttpRequest, page: Page | None, language: str) -> PageForm:
    person = request.user
    organisations = selectors.publishing_organisations(person=person)
    pages = selectors.pages_for_staff(person=person)
    if page is not None:
        pages = pages.filter(organisation=page.organisation).exclude(pk=page.pk)
    initial = {"language": language, "position": 0, "is_published": True}
    if page is not None:
        initial.update(
            organisation=page.organisation,
            title=page.title.get(language, ""),
            slug=page.slug,
            parent=page.parent,
            position=page.position,
            body=page.body.get(language, ""),
            is_published=page.is_published,
        )
    return PageForm(request.POST or None, initial=initial, organisations=organisations, pages=pages)


@staff_required
@require_http_methods(["GET", "POST"])
def page_edit(request: HttpRequest, page_id: int | None = None) -> HttpResponse:
    page = selectors.page_get_for_staff(person=request.user, page_id=page_id) if page_id else None
    language = request.GET.get("language") or (page.source_language if page else "en")
    form = _page_form(request, page, language)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.page_save(
                by=request.user,
                organisation=data["organisation"],
                language=data["language"],
                slug=data["slug"],
                title=data["title"],
                body=data["body"],
                parent=data["parent"],
                position=data["position"],
                is_published=data["is_published"],
                page=page,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(
                f"{request.path_info}?language={data['language']}"
                if page_id
                else "portal:staff_index"
            )
    return render(request, "portal/staff/page_edit.html", {"form": form, "page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(
        request.POST or None,
        initial={"language": "en", "is_public": True},
        organisations=selectors.publishing_organisations(person=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("portal:staff_resource", resource_id=resource.pk)
    return render(request, "portal/staff/resource_edit.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for_staff(person=request.user, resource_id=resource_id)
    language = request.GET.get("language") or resource.source_language
    tags = {facet: [t.value for t in resource.tags.all() if t.facet == facet] for facet in FACETS}
    form = ResourceForm(
        request.POST if request.POST.get("part") == "details" else None,
        initial={
            "organisation": resource.organisation,
            "language": language,
            "title": resource.title.get(language, ""),
            "slug": resource.slug,
            "kind": resource.kind,
            "summary": resource.summary.get(language, ""),
            "url": resource.url,
            "topics": tags["topic"],
            "audiences": tags["audience"],
            "age_bands": tags["age"],
            "is_public": resource.is_public,
        },
        organisations=selectors.publishing_organisations(person=request.user),
    )
    file_form = ResourceFileForm(
        request.POST if request.POST.get("part") == "file" else None,
        request.FILES or None,
        initial={"language": language},
    )
    step_form = ModuleStepForm(
        request.POST if request.POST.get("part") == "step" else None, initial={"language": language}
    )
    bound = {"details": form, "file": file_form, "step": step_form}.get(request.POST.get("part"))
    if request.method == "POST" and bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if bound is form:
                services.resource_save(by=request.user, resource=resource, **data)
            elif bound is file_form:
                services.resource_file_attach(
                    by=request.user,
                    resource=resource,
                    language=data["language"],
                    upload=data["file"],
                )
            else:
                services.module_step_add(by=request.user, resource=resource, **data)
        except ValidationError as error:
            bound.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:staff_resource", resource_id=resource.pk)
    return render(
        request,
        "portal/staff/resource_edit.html",
        {"form": form, "file_form": file_form, "step_form": step_form, "resource": resource},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = StaffProfile.objects.filter(person=request.user).first()
    form = StaffProfileForm(
        request.POST or None,
        initial={
            "listed": current.listed if current else False,
            "languages": ", ".join(current.languages) if current else "",
            "public_email": current.public_email if current else "",
            "public_phone": current.public_phone if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_profile_save(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your directory entry is saved."))
            return redirect("portal:staff_profile")
    return render(request, "portal/staff/profile.html", {"form": form})
