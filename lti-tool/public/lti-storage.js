/*
 * LTI Client Side postMessages, platform storage (lti.put_data / lti.get_data), for browsers that
 * block third-party cookies. Put mode stores the login's state and nonce in the platform, then
 * continues to the platform's authentication URL; get mode reads them back and re-posts the launch.
 * Messages go to the frame named by lti_storage_target (`_parent` = the embedding window) and only
 * to, and from, the platform's origin.
 */
(function () {
  'use strict';
  var box = document.getElementById('lti-storage');
  if (!box) return;
  var mode = box.getAttribute('data-mode');
  var targetName = box.getAttribute('data-target');
  var origin = box.getAttribute('data-origin');
  var state = box.getAttribute('data-state');
  var parentWindow = window.parent !== window ? window.parent : window.opener;
  if (!parentWindow) return fail('This page must be opened from the LMS.');
  var target = targetName === '_parent' ? parentWindow : parentWindow.frames[targetName];
  if (!target) return fail('The LMS offered storage in a frame that does not exist.');
  var counter = 0;

  function send(message) {
    return new Promise(function (resolve, reject) {
      var id = 'microcred-' + Date.now() + '-' + counter++;
      message.message_id = id;
      var timer = setTimeout(function () {
        window.removeEventListener('message', listen);
        reject(new Error('The LMS did not answer.'));
      }, 5000);
      function listen(event) {
        if (event.origin !== origin || !event.data || event.data.message_id !== id) return;
        if (event.data.subject !== message.subject + '.response') return;
        clearTimeout(timer);
        window.removeEventListener('message', listen);
        if (event.data.error) reject(new Error(event.data.error.message || event.data.error.code || 'storage error'));
        else resolve(event.data);
      }
      window.addEventListener('message', listen);
      target.postMessage(message, origin);
    });
  }

  function fail(text) {
    var p = document.createElement('p');
    p.textContent = text + ' Start again from the course page.';
    box.appendChild(p);
  }

  if (mode === 'put') {
    var nonce = box.getAttribute('data-nonce');
    send({ subject: 'lti.put_data', key: 'state_' + state, value: state })
      .then(function () {
        return send({ subject: 'lti.put_data', key: 'nonce_' + nonce, value: nonce });
      })
      .then(function () {
        window.location.href = box.getAttribute('data-redirect');
      })
      .catch(function (error) {
        fail('The tool could not store its login in the LMS: ' + error.message + '.');
      });
  } else if (mode === 'get') {
    var form = document.getElementById('lti-storage-form');
    send({ subject: 'lti.get_data', key: 'state_' + state })
      .then(function (answer) {
        form.elements.storage_state.value = answer.value || '';
        // The nonce is only known inside the id_token; its claim names the key to read.
        var payload = JSON.parse(atob(form.elements.id_token.value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
        return send({ subject: 'lti.get_data', key: 'nonce_' + payload.nonce });
      })
      .then(function (answer) {
        form.elements.storage_nonce.value = answer.value || '';
        // A fetch with our own header, not a form post: the server trusts storage values only from this script.
        return fetch(form.action, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-microcred-storage-check': '1' },
          body: new URLSearchParams(new FormData(form)).toString(),
        });
      })
      .then(function (response) {
        var type = response.headers.get('content-type') || '';
        if (type.indexOf('application/json') === 0) {
          return response.json().then(function (body) {
            window.location.replace(body.next);
          });
        }
        // A refusal comes back as the tool's error page: show it.
        return response.text().then(function (html) {
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(function (error) {
        fail('The tool could not check the launch with the LMS: ' + error.message + '.');
      });
  }
})();
