// Follow-up actions, alerts and candidate issues: forms that call /api/v1 with the login cookie.
(function () {
  "use strict";

  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; }); });
  }

  function failed(answer) { return "하지 못했습니다: " + (answer.data.detail || answer.status); }

  const pick = document.getElementById("action-create");
  if (pick) {
    pick.addEventListener("submit", function (event) {
      event.preventDefault();
      const outcome = pick.querySelector(".outcome");
      const units = Array.from(document.querySelectorAll("input.pick-unit:checked")).map(function (box) { return Number(box.value); });
      if (!units.length) { outcome.textContent = "조치할 발언을 먼저 고르세요."; return; }
      const data = new FormData(pick);
      const body = { unit_ids: units, title: data.get("title"), department: data.get("department"), due_date: data.get("due_date") };
      send("POST", "/api/v1/actions", body).then(function (answer) {
        if (!answer.ok) { outcome.textContent = failed(answer); return; }
        outcome.innerHTML = "";
        const link = document.createElement("a");
        link.href = "/actions/" + answer.data.id;
        link.id = "action-made";
        link.textContent = "조치 " + answer.data.id + " 접수: 보기";
        outcome.appendChild(link);
      });
    });
  }

  document.querySelectorAll("form.action-update").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(form);
      const body = { status: data.get("status"), answer: data.get("answer") };
      send("PATCH", "/api/v1/actions/" + form.dataset.action, body).then(function (answer) {
        if (answer.ok) { window.location.reload(); } else { form.querySelector(".outcome").textContent = failed(answer); }
      });
    });
  });

  document.querySelectorAll("button.acknowledge").forEach(function (button) {
    button.addEventListener("click", function () {
      send("POST", "/api/v1/alerts/" + button.dataset.alert + "/acknowledge").then(function (answer) {
        button.replaceWith(answer.ok ? "확인함" : failed(answer));
      });
    });
  });

  document.querySelectorAll("form.alert-scan").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send("POST", "/api/v1/alerts/scan").then(function (answer) {
        if (answer.ok) { window.location.reload(); } else { form.querySelector(".outcome").textContent = failed(answer); }
      });
    });
  });

  document.querySelectorAll("form.promote").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(form);
      const body = { category: data.get("category"), label: data.get("label"), description: data.get("description") };
      send("POST", "/api/v1/candidates/" + form.dataset.candidate + "/promote", body).then(function (answer) {
        form.querySelector(".outcome").textContent = answer.ok
          ? "분류 체계 " + answer.data.taxonomy.key + " (" + answer.data.file + "), 발언 " + answer.data.labelled_units + "건에 교정 기록"
          : failed(answer);
      });
    });
  });
})();
