from django.urls import reverse


def test_out_of_range_tag_is_reported_not_500(workspace, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:dashboard"), {"tag": "99999999999999999999999"})
    assert response.status_code == 200
    response = client.get(reverse("insights:chart_csv", args=["mix"]), {"tag": "9" * 30})
    assert response.status_code == 200
