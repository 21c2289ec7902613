// Upload with progress and job polling; corrections in place. Talks to /api/v1 with the login cookie.
(function () {
  "use strict";
  const JOB_LABELS = { queued: "대기 중", running: "분석 중", done: "완료", failed: "실패" };

  function showStatus(node, text) { node.textContent = text; }

  function pollJob(url, status) {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      if (job.status === "done") {
        status.innerHTML = "";
        const link = document.createElement("a");
        link.href = "/meetings/" + status.dataset.meeting;
        link.textContent = "분석 완료: 회의 보기";
        link.id = "job-done";
        status.appendChild(link);
      } else if (job.status === "failed") {
        showStatus(status, "분석 실패: " + (job.error_message || job.error_code));
      } else {
        showStatus(status, "작업 " + job.id + ": " + (JOB_LABELS[job.status] || job.status) + "…");
        setTimeout(function () { pollJob(url, status); }, 1000);
      }
    });
  }

  const form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const status = document.getElementById("status");
      const progress = document.getElementById("progress");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/uploads");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { progress.hidden = false; progress.value = Math.round((100 * e.loaded) / e.total); }
      });
      xhr.onload = function () {
        const body = JSON.parse(xhr.responseText || "{}");
        if (xhr.status === 202) {
          status.dataset.meeting = body.meeting_id;
          showStatus(status, body.created ? "올렸습니다. 분석을 기다리는 중…" : "이미 올린 파일입니다.");
          pollJob(body.status_url, status);
        } else {
          showStatus(status, "올리지 못했습니다: " + (body.detail || xhr.status) + " [" + (body.code || "") + "]");
        }
      };
      xhr.send(new FormData(form));
      showStatus(status, "올리는 중…");
    });
  }

  document.querySelectorAll("form.correction").forEach(function (correction) {
    correction.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(correction);
      const body = { categories: data.getAll("categories"), kind: data.get("kind") };
      fetch("/api/v1/units/" + correction.dataset.unit + "/corrections", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      }).then(function (r) {
        correction.querySelector(".saved").textContent = r.ok ? "저장했습니다" : "저장하지 못했습니다 (" + r.status + ")";
      });
    });
  });

  document.querySelectorAll("form.delete-meeting").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!window.confirm("이 회의와 원본 파일·분석 결과·수정을 모두 삭제할까요? 되돌릴 수 없습니다.")) { return; }
      fetch("/api/v1/meetings/" + form.dataset.meeting, { method: "DELETE", credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 204) { window.location.assign("/meetings"); return; }
          form.querySelector(".outcome").textContent = "삭제하지 못했습니다 (" + r.status + ")";
        });
    });
  });
})();
