from django.http import HttpRequest, HttpResponse


def sign(request: HttpRequest, slug: str) -> HttpResponse:  # placeholder until the signing page lands
    return HttpResponse(status=501)
